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

Usage: python chat_model.py [--days 30] [--seed 1]
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


class Team:
    """The agents' slot counts and the round-robin cursor.

    A plain counter per agent rather than a simpy.Resource: a visitor never queues for an agent
    (a full agent is skipped, not waited for), so a Resource would add request and release
    events for nothing.
    """

    def __init__(self, env, size, cap):
        self.env = env
        self.cap = cap
        self.held = [0] * size
        self.cursor = 0
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
        self.held[agent] += 1
        self.busy += 1

    def free(self, agent):
        self._account()
        self.held[agent] -= 1
        self.busy -= 1

    def _account(self):
        now = self.env.now
        self.busy_area += self.busy * (now - self.busy_since)
        self.busy_since = now

    def occupancy(self, horizon):
        self._account()
        return self.busy_area / (horizon * len(self.held) * self.cap)


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


def visitor(env, team, stats):
    """One visitor's request, from routing to the end of the chat or the fallback message."""
    tried = []
    agent = team.pick(tried)
    if agent is None:
        stats.fallback["at_cap"] += 1
        return
    while True:
        tried.append(agent)
        team.take(agent)
        # The response time is drawn when the offer is made, so an offer costs a single
        # timeout whichever way it ends (rather than racing a response against the window).
        response = random.expovariate(RESPONSE_RATE)
        if response < ACCEPT_WINDOW:
            yield env.timeout(response)
            stats.offers_ended += 1
            break
        yield env.timeout(ACCEPT_WINDOW)
        stats.offers_ended += 1
        team.free(agent)
        agent = team.pick(tried) if len(tried) <= TEAM_RETRIES else None
        if agent is None:
            stats.fallback["timeout"] += 1
            return
        stats.retries += 1
    stats.engaged += 1
    stats.rescued += len(tried) > 1
    yield env.timeout(random.expovariate(CHAT_RATE))
    stats.chats_ended += 1
    team.free(agent)


def arrivals(env, team, stats):
    while True:
        yield env.timeout(random.expovariate(ARRIVAL_RATE))
        stats.visitors += 1
        env.process(visitor(env, team, stats))


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
    args = parser.parse_args(argv)

    random.seed(args.seed)
    horizon = args.days * 86400.0
    env = simpy.Environment()
    team = Team(env, AGENTS, CAP)
    stats = Stats()
    env.process(arrivals(env, team, stats))

    started = time.perf_counter()
    env.run(until=horizon)
    wall = time.perf_counter() - started

    events = simpy_events(env)
    requests = stats.visitors
    fallback = sum(stats.fallback.values())
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mib = peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0

    print(f"SimPy {simpy.__version__}, Python {sys.version.split()[0]}: "
          f"{args.days:g} days, seed {args.seed}")
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
