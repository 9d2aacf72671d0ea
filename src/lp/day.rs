//! A technician's day as the column generation relaxation sees it: the shift open, the
//! latest return (shift close plus overtime) and the lunch break.
//!
//! The break is part of every route that returns after its window opens, taken where the
//! technician is, before travelling on (the checker's rule). Dropping it would let each
//! technician work its break's length more: on the 500-job sample day that is 20 hours,
//! as much as the work of the jobs a plan leaves out, and a bound that ignores it cannot
//! see that the day is over-full. A pricing label therefore carries one more bit,
//! [`PENDING`], set while the break is still to come; a label without it dominates one
//! with it (the same route without the break is never later), which is what the subset
//! test of the ng memory already reads.

use crate::model::{Technician, Time};

/// Bit of a label's memory set while its technician's break is still to be taken (ng
/// memories use the low bits, one per neighbour).
pub(super) const PENDING: u32 = 1 << 31;

/// The limits of one technician's day (ticks).
#[derive(Clone, Copy, Debug)]
pub(super) struct Day {
    /// Shift start: routes leave then.
    pub(super) open: Time,
    /// Latest return to the end location.
    pub(super) limit: Time,
    /// Break window (latest start included) and length, if the technician has a break.
    brk: Option<(Time, Time, Time)>,
}

impl Day {
    pub(super) fn of(tech: &Technician) -> Self {
        Day {
            open: tech.shift.open,
            limit: tech.shift.close.saturating_add(tech.max_overtime),
            brk: tech.brk.map(|b| (b.window.open, b.window.close, b.duration)),
        }
    }

    /// The memory bits a route starts with before its break: [`PENDING`] when there is one.
    pub(super) fn pending(&self) -> u32 {
        if self.brk.is_some() {
            PENDING
        } else {
            0
        }
    }

    /// The memory bit of a label whose break is `due`: [`PENDING`] or none.
    pub(super) fn bit(due: bool) -> u32 {
        if due {
            PENDING
        } else {
            0
        }
    }

    /// The ways to leave a place where the technician is free at `now` (a job's service
    /// end, or the start at the shift's open) with its break `due` or not: straight away,
    /// the break as due as before, and, while it is due, after taking it there. Each as
    /// (departure, break still due).
    pub(super) fn departures(&self, now: Time, due: bool) -> [Option<(Time, bool)>; 2] {
        let rested = if due { self.after_break(now) } else { None };
        [Some((now, due)), rested.map(|t| (t, false))]
    }

    /// When a break taken at `now` is over (it starts at the window's open at the
    /// earliest), or `None` when the window has closed or there is no break.
    pub(super) fn after_break(&self, now: Time) -> Option<Time> {
        let (open, close, len) = self.brk?;
        (now <= close).then_some(now.max(open) + len)
    }

    /// True when a route whose last service ends at `end`, `home` ticks from the end
    /// location, can still finish: in time, and with its break if it is `pending` (none is
    /// needed when the route is back before the break window opens).
    pub(super) fn can_finish(&self, end: Time, home: Time, pending: bool) -> bool {
        let back = end + home;
        if !pending || self.brk.is_none() {
            return back <= self.limit;
        }
        let (open, _, _) = self.brk.expect("checked above");
        back <= open.min(self.limit)
            || self.after_break(end).is_some_and(|b| b + home <= self.limit)
    }

    /// Latest return of a route that needs no break: before the break window opens (`None`
    /// without a break, where [`Day::limit`] is the only limit).
    pub(super) fn back_before_break(&self) -> Option<Time> {
        self.brk.map(|(open, _, _)| open.min(self.limit))
    }

    /// True when a route whose service ends at `end`, `home` ticks from the end location,
    /// may still go on (metric travel: any later stop only adds to the way home). Unlike
    /// [`Day::can_finish`] the break, when `pending`, is only charged its length: waiting
    /// for its window can be filled with more work.
    pub(super) fn may_continue(&self, end: Time, home: Time, pending: bool) -> bool {
        let back = end + home;
        match self.brk {
            Some((open, close, len)) if pending => {
                back <= open.min(self.limit) || (end <= close && back + len <= self.limit)
            }
            _ => back <= self.limit,
        }
    }

    /// Backward: the latest end of service from which a break, then `travel` ticks, still
    /// arrive by `by`; `None` when no break fits before `by`.
    pub(super) fn latest_before_break(&self, by: Time, travel: Time) -> Option<Time> {
        let (open, close, len) = self.brk?;
        let latest = close.min(by - travel - len);
        (latest >= open).then_some(latest)
    }

    /// Backward: the latest arrival `by` at a label still waiting for its break can be
    /// reached at all: the break starts at its window's open at the earliest.
    pub(super) fn room_for_break(&self, by: Time) -> bool {
        self.brk.is_none_or(|(open, close, len)| open <= close && by >= open + len)
    }

    /// The most a route can spend on service and travel (ticks): its day less the break,
    /// or the time up to the break window's open for a route back before it.
    pub(super) fn work(&self) -> Time {
        let day = self.limit - self.open;
        match self.brk {
            Some((open, _, len)) => (day - len).max((open - self.open).min(day)).max(0),
            None => day,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(brk: Option<(Time, Time, Time)>) -> Day {
        Day { open: 0, limit: 100, brk }
    }

    #[test]
    fn a_route_finishes_with_its_break_or_before_the_window() {
        let d = day(Some((40, 60, 20)));
        // Back at 30 (before the window): no break needed.
        assert!(d.can_finish(25, 5, true));
        // Back at 45: a break at 40..60, home at 65.
        assert!(d.can_finish(40, 5, true));
        // Service ends at 61: the window has closed.
        assert!(!d.can_finish(61, 0, true));
        // Break taken already: only the limit counts.
        assert!(d.can_finish(95, 5, false));
        // Service ends at 55: the break ends at 75, home at 105, past the limit.
        assert!(!d.can_finish(55, 30, true));
        assert!(d.can_finish(55, 25, true));
        // Service ends at 30, 50 from home: no finish now (break 40..60, home at 110), but
        // more work may fill the wait for the window, so the route may go on.
        assert!(!d.can_finish(30, 50, true) && d.may_continue(30, 50, true));
        assert!(!d.may_continue(30, 51, true) && !d.may_continue(61, 0, true));
        assert_eq!(d.after_break(10), Some(60));
        assert_eq!(d.after_break(50), Some(70));
        assert_eq!(d.after_break(61), None);
        assert_eq!(day(None).after_break(0), None);
    }

    #[test]
    fn backward_break_and_work_limits() {
        let d = day(Some((40, 60, 20)));
        // Arrive by 90 after 10 ticks of travel: the break may start at 60 at the latest.
        assert_eq!(d.latest_before_break(90, 10), Some(60));
        // Arrive by 75: the break must start by 45.
        assert_eq!(d.latest_before_break(75, 10), Some(45));
        // Arrive by 65: it would have to start at 35, before the window.
        assert_eq!(d.latest_before_break(65, 10), None);
        assert!(d.room_for_break(60) && !d.room_for_break(59));
        // 100 ticks less the 20 of the break, or the 40 before the window: 80.
        assert_eq!(d.work(), 80);
        assert_eq!(day(Some((90, 95, 30))).work(), 90);
        assert_eq!(day(None).work(), 100);
        assert_eq!(day(Some((150, 160, 10))).work(), 100);
    }
}
