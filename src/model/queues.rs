//! The waiting queue what-if of docs/model.md: per pool, requests that found every eligible
//! agent at cap, first come first served.

use std::collections::VecDeque;

use crate::engine::Time;
use crate::model::requests::ReqRef;
use crate::model::routing::PoolId;

pub struct Queues {
    /// Per pool, oldest first. Requests that left (timed out, abandoned, offered) stay until
    /// they reach the head and are skipped there: taking them out at once would mean a search.
    pools: Vec<VecDeque<ReqRef>>,
}

impl Queues {
    pub fn new(pools: usize) -> Queues {
        Queues {
            pools: vec![VecDeque::new(); pools],
        }
    }

    pub fn push(&mut self, pool: PoolId, req: ReqRef) {
        self.pools[pool as usize].push_back(req);
    }

    /// Takes the request that has waited longest at the heads of `pools` (an agent serves
    /// every pool it belongs to); on a tie, the first pool's. `queued_at` says since when a
    /// request waits, `None` once it has left, and such heads are dropped on the way.
    pub fn pop_oldest(
        &mut self,
        pools: impl Iterator<Item = PoolId>,
        mut queued_at: impl FnMut(ReqRef) -> Option<Time>,
    ) -> Option<ReqRef> {
        let mut oldest: Option<(Time, PoolId)> = None;
        for pool in pools {
            let q = &mut self.pools[pool as usize];
            while let Some(&head) = q.front() {
                match queued_at(head) {
                    Some(at) => {
                        if oldest.is_none_or(|(t, _)| at < t) {
                            oldest = Some((at, pool));
                        }
                        break;
                    }
                    None => {
                        q.pop_front();
                    }
                }
            }
        }
        let (_, pool) = oldest?;
        self.pools[pool as usize].pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VisitorRng;
    use crate::model::requests::Requests;

    /// Handles of `n` distinct requests.
    fn refs(n: usize) -> Vec<ReqRef> {
        let mut rs = Requests::default();
        (0..n)
            .map(|_| rs.insert(true, 0, VisitorRng::new(0), Default::default()))
            .collect()
    }

    #[test]
    fn queue_is_first_come_first_served_across_an_agents_pools() {
        let r = refs(3);
        let at = |q: ReqRef| r.iter().position(|&x| x == q).map(|i| Time(10 - i as u64));
        let mut qs = Queues::new(2);
        qs.push(0, r[0]);
        qs.push(1, r[2]);
        qs.push(1, r[1]);
        // r[2] joined at 8, before r[0] (10): pool 1's head goes first.
        assert_eq!(qs.pop_oldest([0, 1].into_iter(), at), Some(r[2]));
        assert_eq!(qs.pop_oldest([0, 1].into_iter(), at), Some(r[1]));
        assert_eq!(qs.pop_oldest([0, 1].into_iter(), at), Some(r[0]));
        assert_eq!(qs.pop_oldest([0, 1].into_iter(), at), None);
    }

    #[test]
    fn queue_skips_requests_that_left_and_serves_only_the_agents_pools() {
        let r = refs(3);
        let left = r[0];
        let at = |q: ReqRef| (q != left).then_some(Time(1));
        let mut qs = Queues::new(2);
        qs.push(0, r[0]);
        qs.push(0, r[1]);
        qs.push(1, r[2]);
        assert_eq!(qs.pop_oldest([1].into_iter(), at), Some(r[2]));
        assert_eq!(qs.pop_oldest([0].into_iter(), at), Some(r[1]));
        assert_eq!(qs.pop_oldest([0, 1].into_iter(), at), None);
    }
}
