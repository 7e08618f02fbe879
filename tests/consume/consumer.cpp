// An out-of-tree program using an installed weir: what a user writes first.
// Built twice by tests/consume/run.sh, once with pkg-config and once with
// CMake's find_package(weir); exits 0 only if the actor answered right.
#include <weir/weir.hpp>

#include <chrono>
#include <cstdio>
#include <future>

namespace {

struct add {
  int amount;
};
struct get_total {
  weir::reply_to<int> reply;
};

class counter : public weir::actor<add, get_total> {
 public:
  void on_message(add& m) override { total_ += m.amount; }
  void on_message(get_total& q) override { q.reply.send(total_); }

 private:
  int total_ = 0;
};

}  // namespace

int main() {
  weir::system sys;
  weir::handle<counter> c = sys.spawn<counter>("counter");
  c.send(add{2});
  c.send(add{3});
  // Messages from one sender arrive in order: the total counts both adds.
  const int total = sys.request(c, get_total{}, std::chrono::seconds(30)).get();
  if (total != 5) {
    std::fprintf(stderr, "consumer: expected a total of 5, got %d\n", total);
    return 1;
  }
  std::printf("consumer: counter answered %d\n", total);
  return 0;
}
