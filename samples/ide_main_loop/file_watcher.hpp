#pragma once
// file_watcher.hpp — reports "path changed" events to the main loop as fast
// as the OS produces them; nothing can push back on the OS.

#include "edge_ledger.hpp"
#include "messages.hpp"
#include "settings.hpp"

#include <weir/actor.hpp>
#include <weir/coalescing.hpp>
#include <weir/timer_handle.hpp>

#include <cstddef>
#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <vector>

namespace ide_main_loop {

/// One phase of file changes: `events` change events. With `burst` paths,
/// event i changes burst[i % burst.size()] (an editor saving a few files,
/// each save several events); without, event i changes project file i (a
/// branch switch touching every file).
struct change_script {
  std::vector<std::string> burst;
  std::size_t events = 0;

  [[nodiscard]] std::string path(std::size_t i) const;
};

/// The watcher's keyed edge after a phase.
struct phase_emitted {
  std::uint64_t events = 0;             ///< change events sent in this phase
  std::uint64_t deliveries_so_far = 0;  ///< path batches the edge has posted since it opened
};

/// Plays `script`, then sets `done`.
struct emit_changes {
  change_script script;
  std::promise<phase_emitted> done;
};

/// Takes up to settings::read_size events per read, one read every
/// settings::read_interval, and reports each on a keyed edge: paths merge
/// into the one batch waiting for the main loop, and past the key bound the
/// batch collapses into a single overflow. So the main loop's file inbox
/// holds at most one message and the edge at most key_bound paths, however
/// many events the OS produces: memory and the main loop's work stay bounded
/// without pushing back on a source that cannot be pushed back on.
class file_watcher : public weir::actor<emit_changes> {
 public:
  file_watcher(weir::handle<weir::interface<path_batch>> loop, settings config, edge_ledger& ledger);

  void on_message(emit_changes& emit) override;

 protected:
  void on_start() override;
  void on_stop() override;

 private:
  void read();

  const weir::handle<weir::interface<path_batch>> loop_;
  const settings config_;
  edge_ledger& ledger_;
  weir::keyed_edge<std::string> to_loop_;
  weir::timer_handle reads_;
  change_script script_;
  std::size_t next_event_ = 0;
  std::uint64_t sent_before_ = 0;
  std::optional<std::promise<phase_emitted>> done_;
};

}  // namespace ide_main_loop
