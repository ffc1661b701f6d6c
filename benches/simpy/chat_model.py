"""The chatsim 200-agent benchmark (scenarios/bench-200.toml) written as a plain SimPy program.

It exists to give chatsim's speed figures an honest point of comparison: the same model, written
the way a Python developer would write it with SimPy (a process per visitor, timeouts for
everything that takes time), neither tuned beyond reason nor made slow on purpose.

The model:
  * visitors arrive as a Poisson process, 9000 per hour, and every one asks for a live agent;
  * one team of 200 agents, chosen by round robin; an agent holding 10 chats (offers waiting
    for an accept count from the moment they are made) is skipped;
  * the agent has 100 s to accept; the response time is exponential with mean 30 s, and a
    response later than the window is a timeout;
  * after a timeout the next eligible agent of the team, not one already tried, gets a fresh
    window; a second timeout, or nobody eligible for the retry, is the fallback `timeout`;
    nobody eligible at the first attempt is the fallback `at_cap`;
  * an accepted chat lasts an exponential time with mean 10 minutes, then frees the slot.

With --full-statistics it also keeps the statistics chatsim keeps for this scenario: per agent
(offers, accepts, timeouts, response and chat-length sums, busy and at-cap time), per hour
(visitors, requests, chats, fallbacks, busy slots and agents at cap integrated over the hour),
and a histogram of response times. Without it, only the totals printed at the end.

Usage: python chat_model.py [--days 30] [--seed 1] [--full-statistics]
"""

import argparse
import random
import resource
import sys
import time

import simpy

ARRIVALS_PER_HOUR = 9000.0
AGENTS = 200
CAP = 10
ACCEPT_WINDOW = 100.0  # seconds
RESPONSE_MEAN = 30.0  # seconds
CHAT_MEAN = 600.0  # seconds
TEAM_RETRIES = 1

ARRIVAL_RATE = ARRIVALS_PER_HOUR / 3600.0
RESPONSE_RATE = 1.0 / RESPONSE_MEAN
CHAT_RATE = 1.0 / CHAT_MEAN
BUCKET = 3600.0  # seconds per time-series row, chatsim's default under a month
RESPONSE_BINS = 40  # chatsim's: two windows of 20 bins each, then an overflow bin


class Team:
    """The agents' slot counts and the round-robin cursor.

    A plain counter per agent rather than a simpy.Resource: a visitor never queues for an agent
    (a full agent is skipped, not waited for), so a Resource would add request and release
    events for nothing.
    """

    def __init__(self, env, size, cap, full=None):
        self.env = env
        self.cap = cap
        self.held = [0] * size
        self.cursor = 0
        self.full = full
        # Busy slots over time, integrated as it changes, for the mean occupancy.
        self.busy = 0
        self.busy_area = 0.0
        self.busy_since = 0.0

    def pick(self, tried):
        """The next agent in turn with a free slot, skipping `tried`; None when there is none.

        The cursor moves past the agent picked, so the retry continues the same rotation that
        first offers use.
        """
        n = len(self.held)
        for step in range(n):
            i = (self.cursor + step) % n
            if self.held[i] < self.cap and i not in tried:
                self.cursor = (i + 1) % n
                return i
        return None

    def take(self, agent):
        self._account()
        if self.full:
            self.full.level_change(agent, self.held[agent], self.held[agent] + 1, self.cap)
        self.held[agent] += 1
        self.busy += 1

    def free(self, agent):
        self._account()
        if self.full:
            self.full.level_change(agent, self.held[agent], self.held[agent] - 1, self.cap)
        self.held[agent] -= 1
        self.busy -= 1

    def _account(self):
        now = self.env.now
        self.busy_area += self.busy * (now - self.busy_since)
        self.busy_since = now

    def occupancy(self, horizon):
        self._account()
        return self.busy_area / (horizon * len(self.held) * self.cap)


class FullStatistics:
    """The statistics chatsim keeps for this scenario, updated as chatsim updates them."""

    def __init__(self, env, agents, horizon):
        self.env = env
        rows = int(horizon // BUCKET) + 1
        self.offers = [0] * agents
        self.accepted = [0] * agents
        self.too_slow = [0] * agents
        self.response_sum = [0.0] * agents
        self.engaged = [0] * agents
        self.chat_length_sum = [0.0] * agents
        # Per agent, busy slots and being at cap integrated over time, as chatsim does.
        self.busy_area = [0.0] * agents
        self.at_cap_area = [0.0] * agents
        self.since = [0.0] * agents
        # Per hour: counts, and busy slots and agents at cap integrated over the hour.
        self.row_visitors = [0] * rows
        self.row_requests = [0] * rows
        self.row_engaged = [0] * rows
        self.row_fallbacks = [0] * rows
        self.row_busy = [0.0] * rows
        self.row_at_cap = [0.0] * rows
        self.busy = 0
        self.at_cap = 0
        self.level_since = 0.0
        self.histogram = [0] * (RESPONSE_BINS + 1)

    def row(self):
        return int(self.env.now // BUCKET)

    def level_change(self, agent, old, new, cap):
        now = self.env.now
        elapsed = now - self.since[agent]
        self.busy_area[agent] += old * elapsed
        self.at_cap_area[agent] += (old >= cap) * elapsed
        self.since[agent] = now
        # Site-wide levels, split at hour boundaries.
        t = self.level_since
        while t < now:
            end = min((int(t // BUCKET) + 1) * BUCKET, now)
            self.row_busy[int(t // BUCKET)] += self.busy * (end - t)
            self.row_at_cap[int(t // BUCKET)] += self.at_cap * (end - t)
            t = end
        self.level_since = now
        self.busy += new - old
        self.at_cap += (new >= cap) - (old >= cap)

    def offer(self, agent, response):
        self.offers[agent] += 1
        self.histogram[min(int(response / (ACCEPT_WINDOW / 20)), RESPONSE_BINS)] += 1

    def offer_ended(self, agent, accepted, waited):
        if accepted:
            self.accepted[agent] += 1
            self.response_sum[agent] += waited
        else:
            self.too_slow[agent] += 1

    def chat(self, agent, length):
        self.engaged[agent] += 1
        self.chat_length_sum[agent] += length


class Stats:
    def __init__(self):
        self.visitors = 0
        self.engaged = 0
        self.fallback = {"at_cap": 0, "timeout": 0}
        self.retries = 0
        self.rescued = 0
        # The events a discrete-event simulator would schedule for this model: one per arrival,
        # one per offer (it ends by an accept or a timeout), one per chat end.
        self.offers_ended = 0
        self.chats_ended = 0

    def model_events(self):
        return self.visitors + self.offers_ended + self.chats_ended


def visitor(env, team, stats, full):
    """One visitor's request, from routing to the end of the chat or the fallback message."""
    row = full.row() if full else 0
    if full:
        full.row_requests[row] += 1
    tried = []
    agent = team.pick(tried)
    if agent is None:
        stats.fallback["at_cap"] += 1
        if full:
            full.row_fallbacks[row] += 1
        return
    while True:
        tried.append(agent)
        team.take(agent)
        # The response time is drawn when the offer is made, so an offer costs a single
        # timeout whichever way it ends (rather than racing a response against the window).
        response = random.expovariate(RESPONSE_RATE)
        if full:
            full.offer(agent, response)
        if response < ACCEPT_WINDOW:
            yield env.timeout(response)
            stats.offers_ended += 1
            if full:
                full.offer_ended(agent, True, response)
            break
        yield env.timeout(ACCEPT_WINDOW)
        stats.offers_ended += 1
        if full:
            full.offer_ended(agent, False, ACCEPT_WINDOW)
        team.free(agent)
        agent = team.pick(tried) if len(tried) <= TEAM_RETRIES else None
        if agent is None:
            stats.fallback["timeout"] += 1
            if full:
                full.row_fallbacks[row] += 1
            return
        stats.retries += 1
    stats.engaged += 1
    stats.rescued += len(tried) > 1
    length = random.expovariate(CHAT_RATE)
    if full:
        full.row_engaged[row] += 1
        full.chat(agent, length)
    yield env.timeout(length)
    stats.chats_ended += 1
    team.free(agent)


def arrivals(env, team, stats, full):
    while True:
        yield env.timeout(random.expovariate(ARRIVAL_RATE))
        stats.visitors += 1
        if full:
            full.row_visitors[full.row()] += 1
        env.process(visitor(env, team, stats, full))


def simpy_events(env):
    """Events SimPy has processed so far: those scheduled minus those still queued.

    Reads the environment's event-id counter and queue (private, but unchanged through SimPy
    4), which costs nothing during the run, unlike counting in an overridden step().
    """
    return next(env._eid) - len(env._queue)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=float, default=30.0, help="simulated days (default 30)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--full-statistics", action="store_true",
                        help="also keep chatsim's per-agent, hourly and response statistics")
    args = parser.parse_args(argv)

    random.seed(args.seed)
    horizon = args.days * 86400.0
    env = simpy.Environment()
    full = FullStatistics(env, AGENTS, horizon) if args.full_statistics else None
    team = Team(env, AGENTS, CAP, full)
    stats = Stats()
    env.process(arrivals(env, team, stats, full))

    started = time.perf_counter()
    env.run(until=horizon)
    wall = time.perf_counter() - started

    events = simpy_events(env)
    requests = stats.visitors
    fallback = sum(stats.fallback.values())
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mib = peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0

    kept = "full statistics" if full else "totals only"
    print(f"SimPy {simpy.__version__}, Python {sys.version.split()[0]}: "
          f"{args.days:g} days, seed {args.seed}, {kept}")
    print(f"  visitors               {stats.visitors}")
    print(f"  engaged                {stats.engaged}")
    print(f"  fallback               {fallback}  ({fallback / requests:.4%})")
    for reason, n in stats.fallback.items():
        print(f"    {reason:<20} {n}  ({n / requests:.4%})")
    print(f"  retries                {stats.retries}  (rescued {stats.rescued})")
    print(f"  in flight at end       {requests - stats.engaged - fallback}")
    print(f"  occupancy              {team.occupancy(horizon):.2%}")
    print(f"  wall time              {wall:.3f} s")
    print(f"  visitors per second    {stats.visitors / wall:.0f}")
    print(f"  model events           {stats.model_events()}  "
          f"({stats.model_events() / wall:.0f} per second)")
    print(f"  SimPy events           {events}  ({events / wall:.0f} per second)")
    print(f"  peak memory            {peak_mib:.1f} MiB")


if __name__ == "__main__":
    main()
