"""Sections: a shuffled no-repeat rotation per section and listener, what's new, and drops."""

from datetime import date, timedelta
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from dropday.core.campaign import Localized, Manifest, Piece, Recording, Section, Window
from dropday.core.listener import ListenerState
from dropday.core.sections import heard, member_with_new_pieces, new_pieces, news_since_last_visit, next_drop, \
    next_piece


def hear_all(section, day, state, rng, count):
    played = []
    for _ in range(count):
        choice = next_piece(section, day, state, rng)
        played.append(choice.piece.id)
        state = choice.state
    return played, state


def test_every_piece_of_a_section_is_heard_once_before_any_repeats(test_campaign):
    tips, day = test_campaign.section("tips"), date(2027, 3, 5)
    available = tips.available(day)
    played, state = hear_all(tips, day, ListenerState(), Random(1), len(available))
    assert sorted(played) == sorted(p.id for p in available)
    assert state.progress("tips").rotation == 0


def test_the_next_rotation_starts_fresh_without_opening_on_the_last_piece(test_campaign):
    tips, day = test_campaign.section("tips"), date(2027, 3, 5)
    count = len(tips.available(day))
    for seed in range(30):
        first, state = hear_all(tips, day, ListenerState(), Random(seed), count)
        second, state = hear_all(tips, day, state, Random(seed + 100), count)
        assert sorted(second) == sorted(first)
        assert second[0] != first[-1]
        assert state.progress("tips").rotation == 1 and len(state.progress("tips").heard) == count


def test_listeners_hear_pieces_in_different_orders(test_campaign):
    tips, day = test_campaign.section("tips"), date(2027, 3, 5)
    orders = {tuple(hear_all(tips, day, ListenerState(), Random(seed), 6)[0]) for seed in range(10)}
    assert len(orders) > 5


def test_each_section_keeps_its_own_rotation(test_campaign):
    # GIVEN a listener who heard every backstage story in March
    backstage, day = test_campaign.section("backstage"), date(2027, 3, 5)
    _, state = hear_all(backstage, day, ListenerState(), Random(4), 3)
    # WHEN they ask the tips section
    choice = next_piece(test_campaign.section("tips"), day, state, Random(4))
    # THEN tips start a rotation of their own and backstage's is untouched
    assert choice.state.progress("tips").heard == (choice.piece.key,)
    assert choice.state.progress("backstage") == state.progress("backstage")


def test_pieces_outside_their_window_are_never_served(test_campaign):
    # GIVEN February 2027: ivy-march is not out yet and max-expired ended in January 2026
    tips = test_campaign.section("tips")
    played, _ = hear_all(tips, date(2027, 2, 1), ListenerState(), Random(3), 15)
    assert set(played) == {"ivy-one", "ivy-two", "max-one", "max-text-only", "max-gb-clip"}


def test_a_member_request_draws_only_from_that_member(test_campaign):
    tips, day = test_campaign.section("tips"), date(2027, 2, 1)
    state, played = ListenerState(), []
    for _ in range(2):
        choice = next_piece(tips, day, state, Random(5), member="ivy")
        played.append(choice.piece.id)
        state = choice.state
    assert sorted(played) == ["ivy-one", "ivy-two"]
    # WHEN Ivy has nothing new but Max has
    choice = next_piece(tips, day, state, Random(5), member="ivy")
    # THEN nothing is played, the state is unchanged, and Max is the member to offer
    assert choice.piece is None and choice.member_exhausted and choice.state == state
    assert member_with_new_pieces(tips, day, state, Random(5), exclude="ivy") == "max"


def test_whats_new_lists_unheard_dated_pieces_released_since_the_last_visit_first(test_campaign):
    day = date(2027, 3, 5)
    state = ListenerState(last_visit=date(2027, 2, 9))
    # THEN the gig story (11 Feb) and ivy-march (1 Mar) are new since the visit, newest first,
    # before the older stories the listener never heard
    assert [p.id for p in new_pieces(test_campaign, day, state)] == ["ivy-march", "story-gig", "story-ferry",
                                                                     "story-van"]
    state = heard(state, test_campaign.pieces_with_keys([p.key for p in test_campaign.pieces
                                                         if p.id == "story-gig"])[0])
    assert "story-gig" not in [p.id for p in new_pieces(test_campaign, day, state)]


def test_the_welcome_back_counts_news_per_section(test_campaign):
    counts = news_since_last_visit(test_campaign, date(2027, 3, 5), ListenerState(last_visit=date(2027, 2, 5)))
    assert [(section.id, n) for section, n in counts] == [("tips", 1), ("backstage", 2)]
    assert news_since_last_visit(test_campaign, date(2027, 3, 5), ListenerState()) == []


def test_the_next_drop_is_the_first_piece_arriving_after_today(test_campaign):
    section, day = next_drop(test_campaign, date(2027, 2, 5))
    assert (section.id, day) == ("backstage", date(2027, 2, 8))
    assert next_drop(test_campaign, date(2027, 3, 2)) is None


def _campaign(sections):
    from dropday.core.campaign.sentences import Sentences
    from dropday.core.campaign.model import Album
    return Manifest("prop", "Artist", Album("Album", date(2027, 6, 1), "Europe/London"), (), tuple(sections), {},
                    None, Sentences())


@st.composite
def sections_with_windows(draw):
    """Up to four sections of up to eight pieces, each piece with an optional window in 2027."""
    sections = []
    for s in range(draw(st.integers(1, 4))):
        pieces = []
        for p in range(draw(st.integers(1, 8))):
            start = draw(st.none() | st.integers(0, 40))
            length = draw(st.none() | st.integers(0, 40))
            window = Window(date(2027, 1, 1) + timedelta(start) if start is not None else None,
                            date(2027, 1, 1) + timedelta((start or 0) + length) if length is not None else None)
            pieces.append(Piece.keyed(f"s{s}-p{p}", f"s{s}", Recording(Localized(f"piece {p}")), window=window))
        sections.append(Section(f"s{s}", f"section {s}", pieces=tuple(pieces)))
    return sections


@settings(max_examples=150, derandomize=True, deadline=None)
@given(sections_with_windows(), st.lists(st.tuples(st.integers(0, 3), st.integers(0, 60)), min_size=1, max_size=60),
       st.integers(0, 2**32))
def test_rotations_across_sections_and_windows_never_repeat_within_a_rotation(sections, requests, seed):
    # GIVEN any campaign of sections with windows, and a listener asking them on any days, in time order
    campaign, rng, state = _campaign(sections), Random(seed), ListenerState()
    played: dict[tuple[str, int], list[str]] = {}
    for section_index, offset in sorted(requests, key=lambda r: r[1]):
        section = sections[section_index % len(sections)]
        day = date(2027, 1, 1) + timedelta(offset)
        choice = next_piece(section, day, state, rng)
        available = {p.id for p in section.available(day)}
        if choice.piece is None:
            # THEN nothing is served only when nothing is available that day
            assert not available
            continue
        # THEN what is served is available that day, and never twice in one rotation of its section
        assert choice.piece.id in available
        rotation = choice.state.progress(section.id).rotation
        assert choice.piece.id not in played.get((section.id, rotation), [])
        played.setdefault((section.id, rotation), []).append(choice.piece.id)
        state = choice.state.fitted(campaign)
        # THEN the stored state stays bounded by the campaign
        assert all(len(state.progress(s.id).heard) <= len(s.pieces) for s in sections)
