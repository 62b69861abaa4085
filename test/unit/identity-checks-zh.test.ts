/** The console's Chinese words for identity faults: one for every fault the API can find, naming what was found. */
import { faultText, faultTextZh, residentIdFault, usccFault, type IdFault } from '../../domain/identity-checks';
import { makeResidentId, makeUscc } from '../../domain/identity';

const TODAY = '20261201';

it.each<[string, IdFault | null, RegExp]>([
  ['too short', residentIdFault('62070219800101', TODAY), /应为18位，现为14位/],
  ['a letter among the digits', residentIdFault('6207021980A101001X', TODAY), /第11位（A）应为数字/],
  ['a bad check character', residentIdFault('62070219800101001Y', TODAY), /校验位（Y）应为数字或X/],
  ['an area starting with 9', residentIdFault(makeResidentId('920702', '19800101', '001'), TODAY), /地址码 920702/],
  ['an impossible birth date', residentIdFault(makeResidentId('620702', '19800230', '001'), TODAY), /19800230 不是有效日期/],
  ['born before 1900', residentIdFault(makeResidentId('620702', '18991231', '001'), TODAY), /1899 早于1900年/],
  ['born tomorrow', residentIdFault(makeResidentId('620702', '20261202', '001'), TODAY), /20261202 晚于今天/],
  ['a mistyped check digit', residentIdFault('620702198001010010', TODAY), /最后一位是“0”，按前17位应为“X”/],
])('a resident ID with %s reads in Chinese', (_what, fault, words) => {
  expect(fault).not.toBeNull();
  expect(faultTextZh('resident', fault!)).toMatch(words);
  expect(faultText('resident', fault!)).toMatch(/resident ID/);
});

it.each<[string, IdFault | null, RegExp]>([
  ['a letter never used', usccFault('91620702MA7DE0001I'), /第18位（I）不是代码字符/],
  ['letters where the division code goes', usccFault(makeUscc('91AB0702MA7DE0001')), /第3至8位（AB0702）应为6位行政区划代码/],
  ['a mistyped check character', usccFault(makeUscc('91620702MA7DE0001').slice(0, 17) + '0'), /统一社会信用代码校验位不符/],
])('a unified social credit code with %s reads in Chinese', (_what, fault, words) => {
  expect(fault).not.toBeNull();
  expect(faultTextZh('uscc', fault!)).toMatch(words);
});

it('finds nothing wrong with good identifiers', () => {
  expect(residentIdFault(makeResidentId('620702', '19800101', '001'), TODAY)).toBeNull();
  expect(usccFault(makeUscc('91620702MA7DE0001'))).toBeNull();
});
