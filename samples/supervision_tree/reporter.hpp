#pragma once
// reporter.hpp — an actor that walks the supervision tree through the public
// API: which_children asks to each supervisor, an items_seen ask to each
// worker. Supervisors answer on their own strands, so a snapshot costs them
// one short turn each and never stops the tree.

#include "snapshot.hpp"

#include <weir/actor.hpp>
#include <weir/handle.hpp>
#include <weir/supervisor.hpp>

#include <future>
#include <memory>

namespace supervision_tree {

/// "Send me the tree as it is now." Answered once every ask has come back
/// (or failed: those rows are marked unknown).
struct take_snapshot {
  std::promise<snapshot> reply;
};

/// Thread safety: an actor; talk to it with messages.
class reporter : public weir::actor<take_snapshot> {
 public:
  explicit reporter(weir::handle<weir::supervisor> root);

 protected:
  void on_message(take_snapshot& request) override;

 private:
  struct node;
  struct walk;

  void ask_children(const std::shared_ptr<walk>& w, node& parent, const weir::handle<weir::supervisor>& sup);
  void ask_items(const std::shared_ptr<walk>& w, node& worker);
  static void done_one(const std::shared_ptr<walk>& w);

  weir::handle<weir::supervisor> root_;
};

}  // namespace supervision_tree
