//! How an incremental reparse relates a new tree to the tree it started from.

use std::ops::Range;

use super::tree::{Instruction, Span};

/// Everything `reparse` knows about a change: what it rebuilt, what was there before, and which
/// bytes actually differ, so later layers can decide whether their old results still hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeChange {
    pub edit: TreeEdit,
    /// The old instructions of `edit.old_instructions`, as they were; empty when the whole text
    /// was parsed anew.
    pub replaced: Vec<Instruction>,
    /// The old bytes that differ from the new text (`edit.old_bytes` widens this to whole
    /// lines); bytes after it moved by `edit.delta()`.
    pub changed: Range<usize>,
}

impl TreeChange {
    /// Where an old offset outside the changed bytes is now: offsets at the end of an insertion
    /// move with the text after it.
    pub fn map_offset(&self, old: usize) -> Option<usize> {
        if old < self.changed.start {
            Some(old)
        } else if old >= self.changed.end {
            Some(old.wrapping_add_signed(self.edit.delta()))
        } else {
            None
        }
    }

    pub fn map_span(&self, old: Span) -> Option<Span> {
        Some(Span::new(
            self.map_offset(old.start)?,
            self.map_offset(old.end)?,
        ))
    }
}

/// The part of the tree a reparse rebuilt. Instructions before `old_instructions.start` are
/// unchanged, spans and all; those from `old_instructions.end` on reappear from
/// `new_instructions.end` on, every offset moved by `delta()`; the ones between were parsed anew.
/// In bytes: everything before `old_bytes.start` is unchanged and everything from `old_bytes.end`
/// on moved to `new_bytes.end` on; `old_bytes` became `new_bytes` (they start together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEdit {
    pub old_instructions: Range<usize>,
    pub new_instructions: Range<usize>,
    pub old_bytes: Range<usize>,
    pub new_bytes: Range<usize>,
}

impl TreeEdit {
    /// The edit between a tree of `instructions` instructions and `len` bytes and itself.
    pub fn unchanged(instructions: usize, len: usize) -> TreeEdit {
        TreeEdit {
            old_instructions: instructions..instructions,
            new_instructions: instructions..instructions,
            old_bytes: len..len,
            new_bytes: len..len,
        }
    }

    /// How far offsets after the rebuilt part moved.
    pub fn delta(&self) -> isize {
        self.new_bytes.end as isize - self.old_bytes.end as isize
    }

    /// Where an old offset outside the rebuilt part is now; `None` inside it.
    pub fn map_offset(&self, old: usize) -> Option<usize> {
        if old < self.old_bytes.start {
            Some(old)
        } else if old >= self.old_bytes.end {
            Some(old.wrapping_add_signed(self.delta()))
        } else {
            None
        }
    }

    /// Where an old span outside the rebuilt part is now; `None` when it reaches into it.
    pub fn map_span(&self, old: Span) -> Option<Span> {
        if old.end <= self.old_bytes.start {
            return Some(old);
        }
        if old.start >= self.old_bytes.end {
            let start = self.map_offset(old.start)?;
            let end = self.map_offset(old.end)?;
            return Some(Span::new(start, end));
        }
        None
    }

    /// Where the new instruction `new` was before the edit; `None` when the edit rebuilt it.
    pub fn old_instruction(&self, new: usize) -> Option<usize> {
        if new < self.new_instructions.start {
            Some(new)
        } else if new >= self.new_instructions.end {
            (new - self.new_instructions.end).checked_add(self.old_instructions.end)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_before_stay_after_move_inside_are_gone() {
        let edit = TreeEdit {
            old_instructions: 2..4,
            new_instructions: 2..3,
            old_bytes: 10..30,
            new_bytes: 10..25,
        };
        assert_eq!(edit.map_offset(9), Some(9));
        assert_eq!(edit.map_offset(10), None);
        assert_eq!(edit.map_offset(30), Some(25));
        assert_eq!(edit.map_span(Span::new(3, 10)), Some(Span::new(3, 10)));
        assert_eq!(edit.map_span(Span::new(9, 11)), None);
        assert_eq!(edit.map_span(Span::new(30, 40)), Some(Span::new(25, 35)));
        assert_eq!(edit.old_instruction(1), Some(1));
        assert_eq!(edit.old_instruction(2), None);
        assert_eq!(edit.old_instruction(3), Some(4));
    }
}
