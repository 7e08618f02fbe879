#include "script.hpp"

#include <chrono>

namespace supervision_tree {

using namespace std::chrono_literals;

std::vector<step> default_script() {
  return {
      {300ms, action::crash, "ingest", "parser", 1, "ingest is one_for_one: only the parser restarts"},
      {600ms, action::crash, "storage", "cache", 1,
       "storage is rest_for_one: the cache and the writer started after it restart, the db runs on"},
      {900ms, action::crash, "api", "sessions", 1, "api is one_for_all: auth, sessions and gateway all restart"},
      {1200ms, action::finish, "ingest", "backfill", 1, "backfill is transient: a normal exit is not restarted"},
      {1500ms, action::crash, "ingest", "parser", 1, "the parser again: its second restart"},
      {1800ms, action::crash, "storage", "db", 1, "the db, first in storage: with rest_for_one all three restart"},
      {2100ms, action::crash, "storage", "db", 3,
       "a crash loop: three poison messages queued for the db, and its mailbox survives each restart;\n"
       "         storage passes its intensity, gives up, and the root restarts the whole subsystem"},
  };
}

weir::clock::duration script_end(const std::vector<step>& script) {
  return (script.empty() ? weir::clock::duration::zero() : script.back().at) + 300ms;
}

std::string describe(const step& s, const std::string& root_path) {
  const std::string path = root_path + "/" + s.subsystem + "/" + s.worker;
  if (s.what == action::finish) return "finish " + path;
  return "crash " + path + (s.times > 1 ? " x" + std::to_string(s.times) : "");
}

}  // namespace supervision_tree
