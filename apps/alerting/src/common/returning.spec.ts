import { returningRows } from './returning';

describe('returningRows', () => {
  it('unwraps the [rows, count] answer of UPDATE and DELETE', () => {
    expect(returningRows([[{ id: 1 }], 1])).toEqual([{ id: 1 }]);
    expect(returningRows([[], 0])).toEqual([]);
  });

  it('passes the rows of other statements through', () => {
    expect(returningRows([{ id: 1 }, { id: 2 }])).toEqual([{ id: 1 }, { id: 2 }]);
    expect(returningRows([])).toEqual([]);
  });
});
