//! Chinese and Arabic numerals as they appear in outline markers, counts and dates:
//! 一 … 九十九 (with 十 / 百), 两, digit-by-digit years (二〇一八), circled ① … ⑳.

/// Value of a Chinese numeral digit (〇 零 一 … 九, 两).
pub fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | 'Ｏ' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Whether `c` can be part of a Chinese numeral (digits, 十, 百).
pub fn is_cn_numeral_char(c: char) -> bool {
    cn_digit(c).is_some() || c == '十' || c == '百'
}

/// Value of a whole Chinese numeral written with 十 / 百 (一, 十一, 二十, 一百零五)
/// or digit by digit (二〇一八). `None` when the text is not such a numeral.
pub fn cn_value(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if !s.contains(['十', '百']) {
        // digit by digit: 二〇一八; a lone digit: 三
        let mut v: u32 = 0;
        for c in s.chars() {
            v = v.checked_mul(10)?.checked_add(cn_digit(c)?)?;
        }
        return Some(v);
    }
    let mut total = 0u32;
    let mut pending: Option<u32> = None;
    for c in s.chars() {
        match c {
            '百' => {
                total += pending.take().unwrap_or(1) * 100;
            }
            '十' => {
                total += pending.take().unwrap_or(1) * 10;
            }
            _ => {
                let d = cn_digit(c)?;
                if pending.is_some() {
                    return None;
                }
                if d != 0 {
                    pending = Some(d);
                }
            }
        }
    }
    Some(total + pending.unwrap_or(0))
}

/// A Chinese numeral for `n` (1 ≤ n < 1000), as outline markers write it.
pub fn cn_string(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 || n >= 1000 {
        return n.to_string();
    }
    let (h, t, u) = (n / 100, (n / 10) % 10, n % 10);
    let mut s = String::new();
    if h > 0 {
        s.push_str(D[h as usize]);
        s.push('百');
        if t == 0 && u > 0 {
            s.push('零');
        }
    }
    if t > 0 {
        if !(t == 1 && h == 0) {
            s.push_str(D[t as usize]);
        }
        s.push('十');
    }
    if u > 0 {
        s.push_str(D[u as usize]);
    }
    s
}

/// Value of a circled number ① … ⑳.
pub fn circled_value(c: char) -> Option<u32> {
    match c {
        '\u{2460}'..='\u{2473}' => Some(c as u32 - 0x2460 + 1),
        _ => None,
    }
}

/// The circled number for `n` (1 ≤ n ≤ 20).
pub fn circled_char(n: u32) -> Option<char> {
    (1..=20)
        .contains(&n)
        .then(|| char::from_u32(0x2460 + n - 1))
        .flatten()
}

/// Value of a count written in Arabic (full- or half-width) or Chinese numerals.
pub fn count_value(s: &str) -> Option<u32> {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    if !s.is_empty() && s.chars().all(|c| ('０'..='９').contains(&c)) {
        let folded: String = s
            .chars()
            .filter_map(|c| char::from_u32(c as u32 - '０' as u32 + '0' as u32))
            .collect();
        return folded.parse().ok();
    }
    cn_value(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        assert_eq!(cn_value("一"), Some(1));
        assert_eq!(cn_value("十"), Some(10));
        assert_eq!(cn_value("十五"), Some(15));
        assert_eq!(cn_value("二十"), Some(20));
        assert_eq!(cn_value("二十三"), Some(23));
        assert_eq!(cn_value("一百零五"), Some(105));
        assert_eq!(cn_value("二〇一八"), Some(2018));
        assert_eq!(cn_value("两"), Some(2));
        assert_eq!(cn_value("十十"), Some(20)); // lenient, never panics
        assert_eq!(cn_value("a"), None);
        for n in 1..200 {
            assert_eq!(cn_value(&cn_string(n)), Some(n), "{n}");
        }
        assert_eq!(count_value("１６"), Some(16));
        assert_eq!(circled_value('③'), Some(3));
        assert_eq!(circled_char(3), Some('③'));
    }
}
