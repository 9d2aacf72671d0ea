//! Subset-row cuts over three jobs (Jepsen, Petersen, Spoorendonk and Pisinger, 2008) for
//! the column generation master.
//!
//! For any three jobs, a plan serves each at most once, so at most one of its routes visits
//! two or more of them: `sum_r floor(visits of r to S / 2) x_r <= 1`. The set-covering LP
//! over ng-routes breaks this with fractional routes that share pairs of jobs (the gap of
//! 2.65 % on Solomon RC1 that column generation alone stops at). A cut's dual `mu >= 0`
//! adds `mu` to a route's reduced cost each time the route completes a pair in the set,
//! so pricing follows one parity bit per cut ([`CutMasks`]); a pricing that ignores the
//! cuts only underestimates reduced costs, so every lower estimate stays valid (the coarse
//! pricing and the heuristic relaxed search ignore them; the relaxed search's routes are
//! priced with them before the master takes any).

/// One bit per cut: a pricing label's parities, a job's cuts.
pub(super) type CutBits = u128;
/// Cuts the master holds at most: a pricing label carries one parity bit per cut.
pub(super) const MAX_CUTS: usize = CutBits::BITS as usize;
/// Cuts added per separation at most (the most violated first).
const PER_SEPARATION: usize = 16;
/// A set is cut only when its left side exceeds 1 by at least this much.
const MIN_VIOLATION: f64 = 0.05;
/// Triples times routes one separation may scan (the jobs of fractional routes beyond it
/// are left out, those least covered by fractional routes first).
const SCAN_WORK: usize = 200_000_000;

/// The cuts of a master: each a set of three servable slots, in the order added, and for
/// each slot the cuts that hold it.
#[derive(Clone)]
pub(super) struct SubsetRows {
    pub(super) sets: Vec<[usize; 3]>,
    /// Bit `c` of `masks[s]` is set when cut `c` holds slot `s`.
    pub(super) masks: CutMasks,
}

/// For each servable slot, the cuts (bits) whose set holds it.
pub(super) type CutMasks = Vec<CutBits>;

/// Sum of the cut prices `mu` over the set bits of `bits` (currency).
pub(super) fn price_of(mu: &[f64], mut bits: CutBits) -> f64 {
    let mut sum = 0.0;
    while bits != 0 {
        sum += mu[bits.trailing_zeros() as usize];
        bits &= bits - 1;
    }
    sum
}

impl SubsetRows {
    /// No cuts over `slots` servable jobs.
    pub(super) fn new(slots: usize) -> Self {
        SubsetRows { sets: Vec::new(), masks: vec![0; slots] }
    }

    pub(super) fn len(&self) -> usize {
        self.sets.len()
    }

    /// Adds the cut over `set` (three distinct slots).
    pub(super) fn push(&mut self, set: [usize; 3]) {
        let bit: CutBits = 1 << self.sets.len();
        for &s in &set {
            self.masks[s] |= bit;
        }
        self.sets.push(set);
    }

    /// The nonzero coefficients `(cut, floor(visits / 2))` of a route whose jobs (servable
    /// slots, repeats counted) are `jobs`.
    pub(super) fn coefficients(&self, jobs: &[usize]) -> Vec<(usize, f64)> {
        let mut visits = [0u8; MAX_CUTS];
        let mut any: CutBits = 0;
        for &s in jobs {
            let mut m = self.masks[s];
            any |= m;
            while m != 0 {
                let c = m.trailing_zeros() as usize;
                m &= m - 1;
                visits[c] = visits[c].saturating_add(1);
            }
        }
        let mut out = Vec::new();
        while any != 0 {
            let c = any.trailing_zeros() as usize;
            any &= any - 1;
            if visits[c] >= 2 {
                out.push((c, f64::from(visits[c] / 2)));
            }
        }
        out
    }

    /// Adds up to [`PER_SEPARATION`] new cuts (never beyond [`MAX_CUTS`]) violated by the
    /// master solution `routes` (each route's servable slots with its value `x > 0`), the
    /// most violated first, ties by slots; returns how many were added. Deterministic.
    pub(super) fn separate(&mut self, routes: &[(&[usize], f64)]) -> usize {
        let slots = self.masks.len();
        let room = MAX_CUTS.saturating_sub(self.sets.len()).min(PER_SEPARATION);
        if room == 0 {
            return 0;
        }
        // Only routes at a fractional value can break a cut: among integral ones each job
        // is on one route at most.
        let frac: Vec<(&[usize], f64)> =
            routes.iter().copied().filter(|&(_, x)| x > 1e-6 && x < 1.0 - 1e-6).collect();
        let mut weight = vec![0.0; slots];
        for &(r, x) in &frac {
            for &s in r {
                weight[s] += x;
            }
        }
        let mut jobs: Vec<usize> = (0..slots).filter(|&s| weight[s] > 0.0).collect();
        // Keep the scan within its budget: the jobs most covered by fractional routes.
        let n_routes = frac.len().max(1);
        let mut keep = jobs.len();
        while keep > 3 && keep * keep * keep / 6 * n_routes > SCAN_WORK {
            keep -= 1;
        }
        if keep < jobs.len() {
            jobs.sort_by(|&a, &b| weight[b].total_cmp(&weight[a]).then(a.cmp(&b)));
            jobs.truncate(keep);
            jobs.sort_unstable();
        }
        let n = jobs.len();
        let mut pos = vec![usize::MAX; slots];
        for (i, &s) in jobs.iter().enumerate() {
            pos[s] = i;
        }
        // visits[i * R + r]: visits of route r to job i.
        let nr = frac.len();
        let mut visits = vec![0u8; n * nr];
        for (r, &(route, _)) in frac.iter().enumerate() {
            for &s in route {
                if pos[s] != usize::MAX {
                    let v = &mut visits[pos[s] * nr + r];
                    *v = v.saturating_add(1);
                }
            }
        }
        let xs: Vec<f64> = frac.iter().map(|&(_, x)| x).collect();
        let mut pair = vec![0u16; nr];
        let mut found: Vec<(f64, [usize; 3])> = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                for r in 0..nr {
                    pair[r] = u16::from(visits[i * nr + r]) + u16::from(visits[j * nr + r]);
                }
                for k in j + 1..n {
                    let vk = &visits[k * nr..(k + 1) * nr];
                    let lhs: f64 =
                        (0..nr).map(|r| f64::from((pair[r] + u16::from(vk[r])) / 2) * xs[r]).sum();
                    if lhs > 1.0 + MIN_VIOLATION {
                        found.push((lhs, [jobs[i], jobs[j], jobs[k]]));
                    }
                }
            }
        }
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut added = 0;
        for (_, set) in found {
            if added == room {
                break;
            }
            if !self.sets.contains(&set) {
                self.push(set);
                added += 1;
            }
        }
        added
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coefficients_count_pairs_of_visits_with_repeats() {
        let mut cuts = SubsetRows::new(6);
        cuts.push([0, 1, 2]);
        cuts.push([2, 3, 4]);
        assert_eq!(cuts.coefficients(&[0, 5, 1]), vec![(0, 1.0)]);
        assert_eq!(cuts.coefficients(&[0, 1, 2]), vec![(0, 1.0)]);
        assert_eq!(cuts.coefficients(&[2, 3, 4, 0, 1]), vec![(0, 1.0), (1, 1.0)]);
        // An ng-route may come back to a job: it counts twice.
        assert_eq!(cuts.coefficients(&[3, 5, 3]), vec![(1, 1.0)]);
        assert!(cuts.coefficients(&[5, 0]).is_empty());
    }

    #[test]
    fn separation_finds_the_triangle_of_half_routes() {
        // Three routes at 1/2 over the pairs of {0, 1, 2}: every job covered once, yet the
        // left side of the cut over {0, 1, 2} is 3/2.
        let (a, b, c, d) = (vec![0, 1], vec![1, 2], vec![0, 2], vec![3]);
        let routes: Vec<(&[usize], f64)> = vec![(&a, 0.5), (&b, 0.5), (&c, 0.5), (&d, 1.0)];
        let mut cuts = SubsetRows::new(4);
        assert_eq!(cuts.separate(&routes), 1);
        assert_eq!(cuts.sets, vec![[0, 1, 2]]);
        assert_eq!(cuts.masks, vec![1, 1, 1, 0]);
        // Already held: nothing new.
        assert_eq!(cuts.separate(&routes), 0);
        // An integral solution violates nothing.
        let whole: Vec<(&[usize], f64)> = vec![(&a, 1.0), (&d, 1.0)];
        assert_eq!(SubsetRows::new(4).separate(&whole), 0);
    }
}
