/** Syllables common in Vietnamese place names; generated names read like real ones. */
export const FIRST_SYLLABLES = [
  'An', 'Bình', 'Tân', 'Phú', 'Hòa', 'Long', 'Mỹ', 'Thạnh', 'Vĩnh', 'Hưng', 'Phước', 'Thuận', 'Đông', 'Tây', 'Nam',
  'Bắc', 'Trung', 'Quang', 'Xuân', 'Hải', 'Sơn', 'Thanh', 'Hồng', 'Minh', 'Đức', 'Kim', 'Ngọc', 'Lộc', 'Cẩm', 'Yên',
  'Gia', 'Hoàng', 'Hiệp', 'Tiến', 'Thái', 'Định', 'Quảng', 'Nghĩa', 'Lạc', 'Tam',
];

export const SECOND_SYLLABLES = [
  'Bình', 'Hòa', 'Phú', 'Lợi', 'Thành', 'Hưng', 'Phong', 'Sơn', 'Lâm', 'Thịnh', 'Khánh', 'Tiến', 'Hiệp', 'Đông', 'Tây',
  'Lộc', 'Nghĩa', 'Thuận', 'Mỹ', 'An', 'Trung', 'Xuân', 'Hải', 'Hà', 'Quý', 'Châu', 'Điền', 'Định', 'Long', 'Vinh',
  'Dương', 'Tân', 'Phước', 'Thạnh', 'Giang', 'Cường',
];
