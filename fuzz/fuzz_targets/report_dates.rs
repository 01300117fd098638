//! The report's date parsing: any string is a date or `None`, never a panic; a date it reads
//! reads back the same from its own `YYYY-MM-DDTHH:MM:SS.f` and `YYYY-MM-DD HH:MM:SS.f`
//! forms; and a date written in each accepted form (from the input's bytes) reads back as
//! that date.
#![no_main]

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use libfuzzer_sys::fuzz_target;
use sentir::report::data::parse_date;

fn round_trips(d: NaiveDateTime) {
    if !(0..=9999).contains(&d.year()) {
        return; // four-digit years only: %Y writes others with a sign
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        let s = d.format(f).to_string();
        assert_eq!(parse_date(&s), Some(d), "{s}");
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Some(d) = parse_date(s) {
            round_trips(d);
        }
    }
    if data.len() >= 12 {
        let year = u16::from_le_bytes([data[0], data[1]]) as i32 % 10000;
        let (month, day) = (1 + data[2] as u32 % 12, 1 + data[3] as u32 % 31);
        let (h, m, s) = (
            data[4] as u32 % 24,
            data[5] as u32 % 60,
            data[6] as u32 % 60,
        );
        let milli = u16::from_le_bytes([data[7], data[8]]) as u32 % 1000;
        let offset_min = i16::from_le_bytes([data[9], data[10]]) as i32 % (24 * 60);
        let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
            return;
        };
        let t = date.and_hms_milli_opt(h, m, s, milli).unwrap();
        let whole = t.with_nanosecond(0).unwrap();
        let minute = whole.with_second(0).unwrap();
        let ymd = date.format("%Y-%m-%d").to_string();
        let forms: [(String, NaiveDateTime); 6] = [
            (t.format("%Y-%m-%d %H:%M:%S%.3f").to_string(), t),
            (t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(), t),
            (whole.format("%Y-%m-%d %H:%M:%S").to_string(), whole),
            (minute.format("%Y-%m-%dT%H:%M").to_string(), minute),
            (t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(), t),
            (ymd.clone(), date.and_hms_opt(0, 0, 0).unwrap()),
        ];
        let pad = if data[11] % 2 == 0 { "" } else { " \t" };
        for (s, want) in forms {
            assert_eq!(parse_date(&format!("{pad}{s}{pad}")), Some(want), "{s:?}");
        }
        // An offset is converted to UTC.
        let sign = if offset_min < 0 { '-' } else { '+' };
        let a = offset_min.unsigned_abs();
        let s = format!(
            "{}{sign}{:02}:{:02}",
            whole.format("%Y-%m-%dT%H:%M:%S"),
            a / 60,
            a % 60
        );
        let want = whole - chrono::Duration::minutes(offset_min as i64);
        assert_eq!(parse_date(&s), Some(want), "{s}");
    }
});
