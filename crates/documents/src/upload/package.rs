//! [`SafeZip`]: a zip whose entries were counted and whose every byte was decompressed and
//! measured, within an upload's limits, before anything else reads it.

use std::io::{self, Cursor, Read};

use zip::ZipArchive;

use super::{UploadLimits, UploadProblem};

/// The signature that starts every central directory header.
const CENTRAL_HEADER: &[u8; 4] = b"PK\x01\x02";

/// A zip inspected within limits: at most `max_entries` entries, unpacking to at most the
/// limits' budget, every entry readable to its end (so its checksum was checked too).
#[derive(Debug)]
pub struct SafeZip<'a> {
    bytes: &'a [u8],
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// Each entry's name and its real decompressed size, in central directory order.
    entries: Vec<(String, u64)>,
}

impl<'a> SafeZip<'a> {
    /// Count, then decompress and measure, every entry of `bytes`, stopping at the first limit
    /// passed.
    ///
    /// The entry count is bounded before any zip reader parses the central directory: no
    /// reader can find more entries than there are central header signatures in the bytes, so
    /// counting those bounds the work of this reader and of the parser that reads the file
    /// next. Sizes declared in the zip are never used: each entry is read through a reader that
    /// stops one byte past what is left of the budget.
    pub fn inspect(bytes: &'a [u8], limits: &UploadLimits) -> Result<Self, UploadProblem> {
        let too_many = UploadProblem::TooManyEntries {
            limit: limits.max_entries,
        };
        let signatures = bytes
            .windows(CENTRAL_HEADER.len())
            .filter(|window| *window == CENTRAL_HEADER)
            .count();
        if signatures > limits.max_entries {
            return Err(too_many);
        }
        let mut archive =
            ZipArchive::new(Cursor::new(bytes)).map_err(|_| UploadProblem::Unreadable)?;
        if archive.len() > limits.max_entries {
            return Err(too_many);
        }
        let (budget, over_budget) =
            limits.unpack_budget(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
        let mut left = budget;
        let mut entries = Vec::with_capacity(archive.len());
        for index in 0..archive.len() {
            let mut entry = archive
                .by_index(index)
                .map_err(|_| UploadProblem::Unreadable)?;
            let name = entry.name().map_err(|_| UploadProblem::Unreadable)?;
            let name = name.into_owned();
            let size = io::copy(
                &mut (&mut entry).take(left.saturating_add(1)),
                &mut io::sink(),
            )
            .map_err(|_| UploadProblem::Unreadable)?;
            if size > left {
                return Err(over_budget);
            }
            left -= size;
            entries.push((name, size));
        }
        Ok(Self {
            bytes,
            archive,
            entries,
        })
    }

    /// The zip as uploaded, for a parser to read now that it is known to be within bounds.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Each entry's name and real decompressed size.
    pub fn entries(&self) -> &[(String, u64)] {
        &self.entries
    }

    /// The total of every entry, decompressed.
    pub fn unpacked_bytes(&self) -> u64 {
        self.entries.iter().map(|(_, size)| size).sum()
    }

    /// Whether an entry has this name, ignoring case as Office does.
    pub fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|(entry, _)| entry.eq_ignore_ascii_case(name))
    }

    /// The entry of this name, decompressed, if there is one and it is at most `max` bytes;
    /// a larger one is refused as unreadable rather than read whole.
    pub fn read_part(&self, name: &str, max: u64) -> Result<Option<Vec<u8>>, UploadProblem> {
        let Some(index) = self.position(name) else {
            return Ok(None);
        };
        if self.entries[index].1 > max {
            return Err(UploadProblem::Unreadable);
        }
        // The archive is read again through a clone: reading needs it mutable, and the
        // inspection already proved this entry decompresses to the size recorded.
        let mut archive = self.archive.clone();
        let mut entry = archive
            .by_index(index)
            .map_err(|_| UploadProblem::Unreadable)?;
        let mut part = Vec::new();
        (&mut entry)
            .take(max.saturating_add(1))
            .read_to_end(&mut part)
            .map_err(|_| UploadProblem::Unreadable)?;
        if u64::try_from(part.len()).unwrap_or(u64::MAX) > max {
            return Err(UploadProblem::Unreadable);
        }
        Ok(Some(part))
    }

    /// Run `read` over the entry of this name as it decompresses, if there is one: for a
    /// part only the start of which matters. The inspection bounded what it can yield.
    pub fn with_part<T>(
        &self,
        name: &str,
        read: impl FnOnce(&mut dyn Read) -> T,
    ) -> Result<Option<T>, UploadProblem> {
        let Some(index) = self.position(name) else {
            return Ok(None);
        };
        let mut archive = self.archive.clone();
        let mut entry = archive
            .by_index(index)
            .map_err(|_| UploadProblem::Unreadable)?;
        Ok(Some(read(&mut entry)))
    }
}
