"""Each detector on constructed streams: fires on the wave, stays quiet on the normal rhythm."""

from __future__ import annotations

import datetime as dt

from inhouse.monitoring.detect import (
    BurstDetector,
    EmergingTermsDetector,
    Event,
    ViralDetector,
    ViralParams,
    chain_depth,
)
from inhouse.monitoring.detect.burst import critical_count, poisson_tail
from inhouse.monitoring.detect.emerging import g2

from .streams import START, merge, rhythm, wave


def run(detector, events):
    return [a for ev in events for a in detector.feed(ev)]


def test_poisson_critical_value_respects_the_false_alarm_rate():
    for lam in (0.05, 0.5, 3.0, 40.0):
        c = critical_count(lam, 1e-4)
        assert poisson_tail(c, lam) <= 1e-4 < poisson_tail(c - 1, lam)


def test_burst_stays_quiet_on_the_normal_rhythm():
    assert run(BurstDetector("brand"), rhythm(days=5, per_hour_negative=2)) == []


def test_burst_fires_on_a_wave_of_negative_items_with_numbers_in_the_reason():
    at = START + dt.timedelta(days=3, hours=15)
    alerts = run(BurstDetector("brand"), merge(rhythm(days=4), wave(at, 30, 20, "差评")))
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.kind == "burst"
    assert at.timestamp() <= alert.ts <= at.timestamp() + 600
    assert "negative items about brand in 10 minutes" in alert.reason
    assert alert.data["count"] >= alert.data["critical"]
    assert all(i.startswith(("w", "n")) for i in alert.item_ids)


def test_burst_waits_for_history_before_judging():
    alerts = run(BurstDetector("brand"), wave(START, 50, 10, "差评"))
    assert alerts == []


def test_viral_fires_once_while_the_post_is_young_and_names_the_post_first():
    post = Event(id="p1", kind="post", ts=START.timestamp(), author_name="小鹿零食",
                 followers=50_000)
    reposts = [
        Event(id=f"r{i}", kind="repost", ts=START.timestamp() + 20 * i, root_id="p1",
              parent_id="p1" if i % 3 else f"r{i - 1}", author_name=f"fan{i}",
              followers=200_000 if i == 5 else 300, verified=i == 5,
              text="//@fan:太恶心了" if i % 3 == 0 else "")
        for i in range(1, 120)
    ]
    alerts = run(ViralDetector("brand"), [post, *reposts])
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.item_ids[0] == "p1"
    assert "r5" in alert.item_ids[1:3]  # the verified, far-reaching reposter is a key one
    assert alert.ts - START.timestamp() < 30 * 60
    assert "1 verified reposters" in alert.reason


def test_viral_ignores_a_slow_trickle_and_old_posts():
    post = Event(id="p1", kind="post", ts=START.timestamp())
    slow = [Event(id=f"r{i}", kind="repost", ts=START.timestamp() + 600 * i, root_id="p1")
            for i in range(1, 200)]
    assert run(ViralDetector("brand"), [post, *slow]) == []
    late = [Event(id=f"l{i}", kind="repost", ts=START.timestamp() + 2 * 86400 + i, root_id="p1")
            for i in range(300)]
    assert run(ViralDetector("brand", ViralParams(max_age_hours=24)), [post, *late]) == []


def test_viral_state_stays_flat_over_a_long_stream():
    # Thirty days of posts each reposted a few times: what the detector keeps (stored with
    # every live batch) must not grow with the days.
    det, sizes = ViralDetector("brand"), []
    t0 = START.timestamp()
    for day in range(30):
        for n in range(100):
            ts = t0 + day * 86400 + n * 800
            pid = f"p{day}-{n}"
            det.feed(Event(id=pid, kind="post", ts=ts))
            for k in range(3):
                det.feed(Event(id=f"{pid}-r{k}", kind="repost", ts=ts + 60 * (k + 1),
                               root_id=pid, parent_id=pid))
        sizes.append((len(det.depth), len(det.depth_q), len(det.retired), len(det.threads)))
    assert sizes[-1][0] <= 800 and sizes[-1][1] <= 800  # about a day and an hour of items
    assert sizes[-1][2] <= 8 * 100  # retired posts of the last retired_days (7) only
    assert sizes[-1] == sizes[15]  # flat once the windows are full


def test_viral_watches_a_post_again_once_its_retirement_is_forgotten():
    post = Event(id="p1", kind="post", ts=START.timestamp())
    det = ViralDetector("brand", ViralParams(max_age_hours=24, retired_days=2))
    det.feed(post)

    def wave(day):
        at = START.timestamp() + day * 86400
        return [Event(id=f"w{day}-{i}", kind="repost", ts=at + 10 * i, root_id="p1")
                for i in range(120)]

    assert run(det, wave(1.5)) == []  # past its watch age, retired: ignored
    assert run(det, wave(3.0)) == []  # still remembered as retired
    assert len(run(det, wave(6.0))) == 1  # forgotten after 2 days: a new wave is news again


def test_chain_depth_reads_repost_chains():
    assert chain_depth("说得对//@甲:转//@乙:真的吗") == 2
    assert chain_depth("") == 0


def test_emerging_term_fires_when_a_word_appears_beside_the_brand():
    at = START + dt.timedelta(days=3, hours=15)
    base = rhythm(days=4, text="小鹿零食 味道 一般 包装 好看")
    flies = [Event(id=f"f{i}", kind="post", ts=at.timestamp() + 60 * i, author_id=f"a{i}",
                   text=f"小鹿零食 里 吃出 苍蝇 恶心 {'甲乙丙丁戊己庚辛壬癸子丑'[i]}", negative=True) for i in range(12)]
    det = EmergingTermsDetector("brand", str.split, ignore={"小鹿零食"})
    alerts = run(det, merge(base, flies))
    assert [a.data["term"] for a in alerts][:1] in (["苍蝇"], ["恶心"], ["吃出"])
    assert alerts[0].kind == "emerging"
    assert "appears beside brand" in alerts[0].reason
    assert set(alerts[0].item_ids) <= {f"f{i}" for i in range(12)}


def test_emerging_stays_quiet_when_nothing_new_is_said():
    det = EmergingTermsDetector("brand", str.split, ignore={"小鹿零食"})
    assert run(det, rhythm(days=4, text="小鹿零食 味道 一般")) == []


def test_log_likelihood_is_zero_when_rates_are_equal():
    assert g2(5, 50, 10, 100) == 0.0
    assert g2(8, 1, 10, 1000) > 15
