import { upcastEventData, type EventVersioning } from './event-versions';

type Type = 'Renamed' | 'Plain';
const versioning: EventVersioning<Type> = {
  versions: { Renamed: 3, Plain: 1 },
  upcasters: {
    Renamed: {
      1: ({ name, ...rest }) => ({ ...rest, title: name }),
      2: (data) => ({ ...data, language: 'zh-CN' }),
    },
  },
};

describe('upcasting stored event data', () => {
  it('applies every step from the stored version to today\'s', () => {
    expect(upcastEventData(versioning, 'Renamed', { name: 'x' }, () => 1)).toEqual({ title: 'x', language: 'zh-CN' });
    expect(upcastEventData(versioning, 'Renamed', { title: 'x' }, () => 2)).toEqual({ title: 'x', language: 'zh-CN' });
  });

  it('treats data with no stored version as version 1', () => {
    expect(upcastEventData(versioning, 'Renamed', { name: 'x' }, () => undefined)).toEqual({ title: 'x', language: 'zh-CN' });
  });

  it('returns current data, single-version and unknown types as they are, without reading the version', () => {
    const data = { title: 'x', language: 'en' };
    expect(upcastEventData(versioning, 'Renamed', data, () => 3)).toBe(data);
    const never = () => { throw new Error('not needed'); };
    expect(upcastEventData(versioning, 'Plain', data, never)).toBe(data);
    expect(upcastEventData(versioning, 'Unknown', data, never)).toBe(data);
    expect(upcastEventData(versioning, 'constructor', data, never)).toBe(data);
  });
});
