import { foldVietnamese } from './vietnamese';

describe('foldVietnamese', () => {
  it('removes diacritics, folds đ and case', () => {
    expect(foldVietnamese('Thành phố Hồ Chí Minh')).toBe('thanh pho ho chi minh');
    expect(foldVietnamese('Đắk Lắk')).toBe('dak lak');
    expect(foldVietnamese('Bà Rịa–Vũng Tàu')).toBe('ba ria vung tau');
  });

  it('folds text already without diacritics to the same thing', () => {
    expect(foldVietnamese('HA NOI')).toBe(foldVietnamese('Hà Nội'));
  });

  it('handles precomposed and decomposed input alike', () => {
    expect(foldVietnamese('Hu\u1EBF')).toBe(foldVietnamese('Hue\u0302\u0301'));
  });
});
