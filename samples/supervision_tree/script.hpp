#pragma once
// script.hpp — the scenario as data: at which time which worker is told to
// crash (or to finish), so that every run plays the same events.

#include <weir/clock.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace supervision_tree {

enum class action {
  crash,   ///< the worker gets `times` fault messages at once, and throws on each one it handles
  finish,  ///< the worker gets a finish message and exits normally
};

/// One scripted event.
struct step {
  weir::clock::duration at{};  ///< since the tree started (virtual time with --manual)
  action what = action::crash;
  std::string subsystem;
  std::string worker;
  std::size_t times = 1;  ///< crash only: faults queued at once (a crash loop: the mailbox survives restarts)
  std::string story;      ///< why a reader should care, printed with the step
};

/// The demo's script, for the default tree (tree.hpp): one restart of each
/// strategy, a transient worker finishing, and last a crash loop in storage
/// that goes past its intensity, so storage gives up and the root restarts it.
std::vector<step> default_script();

/// When the scenario ends: a little after the last step.
weir::clock::duration script_end(const std::vector<step>& script);

/// "crash /root/storage/db x3" or "finish /root/ingest/backfill".
std::string describe(const step& s, const std::string& root_path);

}  // namespace supervision_tree
