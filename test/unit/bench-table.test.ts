import { table } from '../../bench/lib/measure';

describe('benchmark tables', () => {
  const rows = [
    ['figure', 'value', 'note'],
    ['open cases', 100000, 'wanted 100000'],
    ['RSS', '1 MiB', 'a much longer note that would widen every line if it were padded'],
  ];

  it('pads the first column to the left and the others to the right, under a rule', () => {
    const w = rows[2]![2]!.toString().length;
    expect(table(rows).split('\n').slice(0, 3)).toEqual([
      'figure       value  ' + 'note'.padStart(w),
      '----------  ------  ' + '-'.repeat(w),
      'open cases  100000  ' + 'wanted 100000'.padStart(w),
    ]);
  });

  it('leaves a last column of notes as it comes, so no line carries trailing spaces', () => {
    expect(table(rows, { noteLast: true }).split('\n')).toEqual([
      'figure       value  note',
      '----------  ------  ----',
      'open cases  100000  wanted 100000',
      'RSS          1 MiB  a much longer note that would widen every line if it were padded',
    ]);
  });
});
