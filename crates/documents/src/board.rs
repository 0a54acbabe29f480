//! What the regional board sees of every area's action plan: counts by RAG status and the
//! overdue actions, the input to [`crate::pptx::board_pack`].

use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq)]
pub struct BoardPack {
    /// "SEND peer challenge: regional board, March 2027".
    pub title: String,
    pub generated_on: NaiveDate,
    pub areas: Vec<AreaProgress>,
    /// The region's actions by RAG status at each month end: red, amber, green, complete.
    /// The pack charts them; empty, it has no chart.
    pub months: Vec<(NaiveDate, [usize; 4])>,
}

/// One area's actions. `red + amber + green + complete` may be less than `total` when some
/// actions have no RAG status yet; `overdue` counts open actions past their due date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AreaProgress {
    pub area: String,
    pub total: usize,
    pub red: usize,
    pub amber: usize,
    pub green: usize,
    pub complete: usize,
    pub overdue: usize,
    /// The overdue actions in words, for example "DER-3: Refresh the Local Offer (due 1 March
    /// 2027)".
    pub overdue_actions: Vec<String>,
}

impl BoardPack {
    /// Every area's counts added up, named "Region". The overdue actions stay with their areas.
    pub fn region(&self) -> AreaProgress {
        self.areas.iter().fold(
            AreaProgress {
                area: "Region".to_owned(),
                ..AreaProgress::default()
            },
            |sum, area| AreaProgress {
                total: sum.total + area.total,
                red: sum.red + area.red,
                amber: sum.amber + area.amber,
                green: sum.green + area.green,
                complete: sum.complete + area.complete,
                overdue: sum.overdue + area.overdue,
                ..sum
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_adds_up_every_area() {
        let area = |name: &str, counts: [usize; 6]| AreaProgress {
            area: name.to_owned(),
            total: counts[0],
            red: counts[1],
            amber: counts[2],
            green: counts[3],
            complete: counts[4],
            overdue: counts[5],
            overdue_actions: vec!["late".to_owned()],
        };
        let pack = BoardPack {
            months: Vec::new(),
            title: "Board".to_owned(),
            generated_on: NaiveDate::from_ymd_opt(2027, 3, 12).expect("valid date"),
            areas: vec![
                area("Derby", [5, 1, 2, 1, 1, 1]),
                area("Leicester", [3, 0, 1, 1, 1, 0]),
            ],
        };
        let region = pack.region();
        assert_eq!(region.area, "Region");
        assert_eq!(
            [
                region.total,
                region.red,
                region.amber,
                region.green,
                region.complete,
                region.overdue
            ],
            [8, 1, 3, 2, 2, 1]
        );
        assert!(region.overdue_actions.is_empty());
    }
}
