//! The packet's journey as a timeline: pure, so it is tested natively.
//!
//! A [`Track`] is the list of stops a packet makes, one per trace step (the
//! forward path, then the reply), each at the diagram position of the step's
//! resource. Time runs in "beats": moving between two stops takes one beat,
//! and the packet pauses [`PAUSE`] beats at each stop to show the verdict.
//! [`Track::at`] says where the packet is at any time; the player only
//! advances time.

use netsec_engine::trace::{Outcome, Step, Trace};
use netsec_import::scenario::doc::ScenarioDoc;

use crate::geometry::{Diagram, Shape, clamp, step_node_id};

/// Beats spent at each stop.
pub const PAUSE: f64 = 0.7;

/// One stop of the packet.
#[derive(Clone, Debug, PartialEq)]
pub struct Stop {
    /// Where.
    pub x: f64,
    /// Where.
    pub y: f64,
    /// Index of the step (forward steps first, then reply steps).
    pub step: usize,
    /// Whether this stop is on the reply.
    pub reply: bool,
    /// What the layer did.
    pub outcome: Outcome,
    /// Short text for the label (`NIC NSG: denied`).
    pub label: String,
}

/// The stops of one trace, in order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Track {
    /// Stops.
    pub stops: Vec<Stop>,
}

/// Where the packet is.
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    /// X.
    pub x: f64,
    /// Y.
    pub y: f64,
    /// The stop it is at or last passed.
    pub stop: usize,
    /// Whether it is paused at that stop (as opposed to moving to the next).
    pub paused: bool,
    /// Whether the journey is over.
    pub done: bool,
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Allowed => "allowed",
        Outcome::AllowedStateful => "allowed (stateful)",
        Outcome::Denied => "denied",
        Outcome::NotConfigured => "nothing configured",
        Outcome::Forwarded => "forwarded",
        Outcome::Translated => "translated",
        Outcome::Arrived => "arrived",
    }
}

/// The label a stop shows and the live region announces.
pub fn announce(step: &Step) -> String {
    let rule = step
        .rule
        .as_ref()
        .map(|r| format!(" by {}", r.name))
        .unwrap_or_default();
    format!(
        "{}: {}{rule}",
        step.layer.label(),
        outcome_word(step.outcome)
    )
}

impl Track {
    /// Builds the track of a trace on a diagram. Steps whose resource is not
    /// drawn stay at the previous stop's position (the packet pauses in place).
    pub fn new(doc: &ScenarioDoc, diagram: &Diagram, trace: &Trace) -> Self {
        let mut stops: Vec<Stop> = Vec::new();
        let all = trace
            .steps
            .iter()
            .map(|s| (s, false))
            .chain(trace.reply.iter().map(|s| (s, true)));
        for (i, (step, reply)) in all.enumerate() {
            let node = step_node_id(doc, step).and_then(|id| diagram.node(&id).map(|b| (id, b)));
            let previous = stops.last().map(|s| (s.x, s.y));
            let (x, y) = match (node, previous) {
                // Tall bands (Internet, edge): cross them at the packet's height.
                (Some((id, b)), Some((_, py))) if id.starts_with("band/") => {
                    (b.x + b.w / 2.0, clamp(py, b.y, b.y + b.h))
                }
                // Containers: at their title, where the name is written.
                (Some((_, b)), _) if b.shape == Shape::Container => (b.x + 24.0, b.y + 14.0),
                (Some((_, b)), _) => b.centre(),
                (None, Some(p)) => p,
                (None, None) => (0.0, 0.0),
            };
            stops.push(Stop {
                x,
                y,
                step: i,
                reply,
                outcome: step.outcome,
                label: announce(step),
            });
        }
        Self { stops }
    }

    /// Total beats from the first stop to the end of the last pause.
    pub fn duration(&self) -> f64 {
        if self.stops.is_empty() {
            0.0
        } else {
            self.stops.len() as f64 * PAUSE + (self.stops.len() - 1) as f64
        }
    }

    /// The start time of stop `i`.
    pub fn time_of(&self, i: usize) -> f64 {
        i as f64 * (PAUSE + 1.0)
    }

    /// Where the packet is at time `t` (clamped to the journey).
    pub fn at(&self, t: f64) -> Option<Position> {
        let last = self.stops.len().checked_sub(1)?;
        let t = if t.is_finite() {
            clamp(t, 0.0, self.duration())
        } else {
            0.0
        };
        let cycle = PAUSE + 1.0;
        let i = ((t / cycle).floor() as usize).min(last);
        let into = t - i as f64 * cycle;
        let here = &self.stops[i];
        if into <= PAUSE || i == last {
            return Some(Position {
                x: here.x,
                y: here.y,
                stop: i,
                paused: true,
                done: i == last && t >= self.duration() - 1e-9,
            });
        }
        let next = &self.stops[i + 1];
        let f = clamp(into - PAUSE, 0.0, 1.0);
        // Ease in and out so the packet visibly arrives at each layer.
        let e = f * f * (3.0 - 2.0 * f);
        Some(Position {
            x: here.x + (next.x - here.x) * e,
            y: here.y + (next.y - here.y) * e,
            stop: i,
            paused: false,
            done: false,
        })
    }

    /// The stop shown at time `t` with reduced motion: the packet jumps.
    pub fn at_reduced(&self, t: f64) -> Option<Position> {
        let p = self.at(t)?;
        let s = &self.stops[p.stop];
        Some(Position {
            x: s.x,
            y: s.y,
            paused: true,
            ..p
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn track(points: &[(f64, f64)]) -> Track {
        Track {
            stops: points
                .iter()
                .enumerate()
                .map(|(i, &(x, y))| Stop {
                    x,
                    y,
                    step: i,
                    reply: false,
                    outcome: Outcome::Forwarded,
                    label: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn pauses_at_stops_and_moves_between_them() {
        let t = track(&[(0.0, 0.0), (100.0, 0.0), (100.0, 50.0)]);
        assert_eq!(t.duration(), 3.0 * PAUSE + 2.0);
        let p = t.at(0.1).unwrap();
        assert!(p.paused && p.x == 0.0 && p.stop == 0);
        let mid = t.at(PAUSE + 0.5).unwrap();
        assert!(!mid.paused && (mid.x - 50.0).abs() < 1e-9, "{mid:?}");
        let second = t.at(t.time_of(1) + 0.1).unwrap();
        assert_eq!((second.stop, second.x), (1, 100.0));
        let end = t.at(1e9).unwrap();
        assert!(end.done && end.stop == 2);
    }

    #[test]
    fn reduced_motion_never_shows_the_packet_between_stops() {
        let t = track(&[(0.0, 0.0), (100.0, 0.0)]);
        let p = t.at_reduced(PAUSE + 0.5).unwrap();
        assert_eq!((p.x, p.y), (0.0, 0.0));
        assert!(t.at(f64::NAN).is_some());
        assert!(Track::default().at(1.0).is_none());
    }
}

/// Beats per second at speed 1.
pub const BEATS_PER_SECOND: f64 = 1.6;

/// The player: time, play/pause, speed. Pure; the app's animation-frame loop
/// only dispatches [`PlayerAction::Tick`].
#[derive(Clone, Debug, PartialEq)]
pub struct PlayerState {
    /// Playing or paused.
    pub playing: bool,
    /// Time in beats.
    pub t: f64,
    /// Speed factor (0.25 to 4).
    pub speed: f64,
    /// Where the journey ends (the longest track shown).
    pub limit: f64,
    /// Animate every flow of the scenario at once.
    pub all: bool,
    /// prefers-reduced-motion: the packet jumps from layer to layer.
    pub reduced: bool,
}

impl Default for PlayerState {
    fn default() -> Self {
        Self {
            playing: false,
            t: 0.0,
            speed: 1.0,
            limit: 0.0,
            all: false,
            reduced: false,
        }
    }
}

/// What the controls and the clock ask of the player.
#[derive(Clone, Debug, PartialEq)]
pub enum PlayerAction {
    /// Start, or restart when at the end.
    Play,
    /// Stop moving.
    Pause,
    /// Time passed (milliseconds).
    Tick(f64),
    /// Jump to the next stop.
    StepForward,
    /// Jump to the previous stop.
    StepBack,
    /// From the start, playing.
    Replay,
    /// Change speed.
    SetSpeed(f64),
    /// A new journey: back to the start, with its length; `all` for every flow.
    Load {
        /// Track length in beats.
        limit: f64,
        /// Every flow at once.
        all: bool,
        /// Start playing.
        autoplay: bool,
    },
    /// Follow the user's reduced-motion preference.
    SetReduced(bool),
}

fn cycle() -> f64 {
    PAUSE + 1.0
}

/// The player's reducer.
pub fn player_reduce(s: &PlayerState, action: PlayerAction) -> PlayerState {
    let mut n = s.clone();
    match action {
        PlayerAction::Play => {
            if n.t >= n.limit {
                n.t = 0.0;
            }
            n.playing = n.limit > 0.0;
        }
        PlayerAction::Pause => n.playing = false,
        PlayerAction::Tick(ms) => {
            if !n.playing || !ms.is_finite() || ms <= 0.0 {
                return n;
            }
            // A long gap (a background tab) must not skip the whole journey.
            let beats = (ms.min(250.0) / 1000.0) * BEATS_PER_SECOND * n.speed;
            if n.reduced {
                // Reduced motion: hold at a stop, then jump straight to the next
                // one; time never rests between two stops.
                n.t += beats;
                let stop = (n.t / cycle()).floor();
                if n.t - stop * cycle() > PAUSE {
                    n.t = (stop + 1.0) * cycle();
                }
            } else {
                n.t += beats;
            }
            if n.t >= n.limit {
                n.t = n.limit;
                n.playing = false;
            }
        }
        PlayerAction::StepForward => {
            n.playing = false;
            n.t = (((n.t / cycle()).floor() + 1.0) * cycle()).min(n.limit);
        }
        PlayerAction::StepBack => {
            n.playing = false;
            let current = (n.t / cycle()).floor();
            let at_stop_start = (n.t - current * cycle()).abs() < 1e-9;
            let target = if at_stop_start {
                current - 1.0
            } else {
                current
            };
            n.t = (target.max(0.0)) * cycle();
        }
        PlayerAction::Replay => {
            n.t = 0.0;
            n.playing = n.limit > 0.0;
        }
        PlayerAction::SetSpeed(v) => {
            n.speed = if v.is_finite() {
                clamp(v, 0.25, 4.0)
            } else {
                1.0
            }
        }
        PlayerAction::Load {
            limit,
            all,
            autoplay,
        } => {
            n.limit = if limit.is_finite() {
                limit.max(0.0)
            } else {
                0.0
            };
            n.all = all;
            n.t = 0.0;
            n.playing = autoplay && n.limit > 0.0;
        }
        PlayerAction::SetReduced(r) => n.reduced = r,
    }
    n
}

/// The stop index at time `t` for a track of `stops` stops.
pub fn stop_at(t: f64, stops: usize) -> usize {
    let i = if t.is_finite() && t > 0.0 {
        (t / cycle()).floor() as usize
    } else {
        0
    };
    i.min(stops.saturating_sub(1))
}

/// Yew's wrapper around [`player_reduce`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Player(pub PlayerState);

impl yew::Reducible for Player {
    type Action = PlayerAction;
    fn reduce(self: std::rc::Rc<Self>, action: PlayerAction) -> std::rc::Rc<Self> {
        let next = player_reduce(&self.0, action);
        if next == self.0 {
            self
        } else {
            std::rc::Rc::new(Player(next))
        }
    }
}

#[cfg(test)]
mod player_tests {
    use super::*;

    fn loaded(limit: f64) -> PlayerState {
        player_reduce(
            &PlayerState::default(),
            PlayerAction::Load {
                limit,
                all: false,
                autoplay: true,
            },
        )
    }

    #[test]
    fn plays_to_the_end_then_stops_and_replays() {
        let mut s = loaded(5.0);
        assert!(s.playing);
        for _ in 0..100 {
            s = player_reduce(&s, PlayerAction::Tick(100.0));
        }
        assert_eq!(s.t, 5.0);
        assert!(!s.playing);
        s = player_reduce(&s, PlayerAction::Play);
        assert_eq!(s.t, 0.0, "play at the end starts over");
    }

    #[test]
    fn steps_move_stop_by_stop_and_pause() {
        let s = loaded(10.0);
        let s = player_reduce(&s, PlayerAction::StepForward);
        assert!(!s.playing);
        assert_eq!(stop_at(s.t, 6), 1);
        let s = player_reduce(&s, PlayerAction::StepForward);
        assert_eq!(stop_at(s.t, 6), 2);
        let s = player_reduce(&s, PlayerAction::StepBack);
        assert_eq!(stop_at(s.t, 6), 1);
        let s = player_reduce(
            &player_reduce(&s, PlayerAction::StepBack),
            PlayerAction::StepBack,
        );
        assert_eq!(s.t, 0.0);
    }

    #[test]
    fn reduced_motion_lands_on_stops_only() {
        let mut s = player_reduce(&loaded(20.0), PlayerAction::SetReduced(true));
        let mut seen_between = false;
        for _ in 0..60 {
            s = player_reduce(&s, PlayerAction::Tick(50.0));
            let within = s.t - (s.t / cycle()).floor() * cycle();
            if within > PAUSE + 1e-9 {
                seen_between = true;
            }
        }
        assert!(!seen_between, "never between two stops");
        assert!(s.t > 0.0);
    }

    #[test]
    fn hostile_ticks_and_speeds_are_harmless() {
        let s = loaded(3.0);
        let s = player_reduce(&s, PlayerAction::Tick(f64::NAN));
        assert_eq!(s.t, 0.0);
        let s = player_reduce(&s, PlayerAction::SetSpeed(f64::INFINITY));
        assert_eq!(s.speed, 1.0);
        let s = player_reduce(&s, PlayerAction::Tick(1e12));
        assert!(s.t <= 3.0);
    }
}
