// Property-based: dates shown from the per-day and per-minute tables read exactly as Intl formats them whole, in
// any language and time zone (half-hour and 45-minute offsets, summer time, the seconds-offsets before 1972).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { localDateFormatter } from '../../src/dates';

const LANGUAGES = [
  'en',
  'en-gb',
  'de',
  'fr',
  'ja',
  'zh-cn',
  'zh-tw',
  'ko',
  'ru',
  'ar',
  'fa',
  'he',
  'th',
  'hu',
  'pt-br',
  'tr',
  'x-not-a-language',
];
const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Africa/Monrovia'];

describe('dates as shown (fast-check)', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) {
      delete process.env.TZ;
    } else {
      process.env.TZ = zone;
    }
  });

  for (const timeZone of ZONES) {
    it(`reads as Intl's own date and time in ${timeZone}, in every language`, () => {
      process.env.TZ = timeZone;
      for (const language of LANGUAGES) {
        const shown = localDateFormatter(language);
        const whole = new Intl.DateTimeFormat(language === 'x-not-a-language' ? undefined : language, {
          dateStyle: 'medium',
          timeStyle: 'short',
        });
        fc.assert(
          fc.property(
            fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true }),
            (date) => {
              assert.equal(shown(date), whole.format(date), `${language} ${date.toISOString()}`);
            },
          ),
          { numRuns: 150 },
        );
        // Many dates of a few days: the tables are read far more often than filled.
        const day = Date.UTC(2026, 2, 29);
        for (let minute = 0; minute < 3 * 1440; minute += 7) {
          const date = new Date(day + minute * 60_000 + (minute % 60) * 1000);
          assert.equal(shown(date), whole.format(date), `${language} ${date.toISOString()}`);
        }
      }
    });
  }
});
