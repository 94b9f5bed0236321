import { formCell } from '@thads/kit';
import { asciiName, vietnameseRate } from './export-table';
import { renderCsv } from './render-csv';

describe('export tables', () => {
  it('names files in ASCII without diacritics', () => {
    expect(asciiName('Bộ Tư pháp – Cục Quản lý thi hành án dân sự')).toBe('bo-tu-phap-cuc-quan-ly-thi-hanh-an-dan-su');
    expect(asciiName('Đắk Lắk')).toBe('dak-lak');
  });

  it('writes CSV with a byte-order mark, quoted fields and decimal commas in rates', () => {
    const csv = renderCsv({
      title: 'Biểu số 1, thử',
      fileName: 'x',
      columns: [
        { label: 'Đơn vị', kind: 'TEXT' },
        { label: 'Thi hành xong', kind: 'VND' },
        { label: 'Tỷ lệ (%)', kind: 'RATE' },
      ],
      rows: [
        ['Phường "A"', '123456789012345678901', '88.38'],
        ['B', '0', null],
      ],
    }).toString('utf8');
    expect(csv).toBe('\ufeff"Biểu số 1, thử"\r\nĐơn vị,Thi hành xong,Tỷ lệ (%)\r\n"Phường ""A""",123456789012345678901,"88,38"\r\nB,0,\r\n');
    expect(vietnameseRate('100.00')).toBe('100,00');
  });

  it('writes form cells exactly: integers as digits, rates with two decimals, nothing for an undefined rate', () => {
    expect(formCell('VND', 12345678901234567890n)).toBe('12345678901234567890');
    expect(formCell('COUNT', 42)).toBe('42');
    expect(formCell('RATE', 88.38)).toBe('88.38');
    expect(formCell('RATE', 5)).toBe('5.00');
    expect(formCell('RATE', null)).toBeNull();
  });
});
