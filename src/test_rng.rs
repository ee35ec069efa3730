//! The deterministic generator the property tests draw their inputs from (xorshift64): the
//! same seed gives the same documents on every machine, so a failure can be replayed.

/// A xorshift64 generator; the seed must not be zero.
pub(crate) struct Xorshift(pub u64);

impl Xorshift {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// `count` copies of `text` with one small change each, at a random character boundary:
    /// one of `marks` inserted, the character there deleted, or that character replaced by a
    /// mark (the mistakes and edits a reader meets in real files).
    pub fn mutations(&mut self, text: &str, marks: &[&str], count: usize) -> Vec<String> {
        let places: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        (0..count)
            .map(|_| {
                let at = places[(self.next() % places.len() as u64) as usize];
                let mark = marks[(self.next() % marks.len() as u64) as usize];
                let next = text[at..].chars().next().map_or(0, char::len_utf8);
                let mut mutated = text[..at].to_string();
                match self.next() % 3 {
                    0 => {
                        mutated.push_str(mark);
                        mutated.push_str(&text[at..]);
                    }
                    1 => mutated.push_str(&text[at + next..]),
                    _ => {
                        mutated.push_str(mark);
                        mutated.push_str(&text[at + next..]);
                    }
                }
                mutated
            })
            .collect()
    }
}
