// A message type that holds a handle includes weir/handle.hpp and nothing
// else of weir's: that must not compile the runtime or Asio (issue 10: every
// header that declares messages would otherwise pay for all of it).
#include <weir/handle.hpp>

#if defined(BOOST_ASIO_IO_CONTEXT_HPP) || defined(BOOST_ASIO_DETAIL_CONFIG_HPP)
#error "weir/handle.hpp pulls in Asio"
#endif

#include <doctest/doctest.h>

#include <string>

namespace {

struct reply {
  std::string text;
};
struct request {
  std::string query;
  weir::handle<weir::interface<reply>> reply_to;  // the message holds a handle
};

}  // namespace

TEST_CASE("a message type that holds a handle builds from weir/handle.hpp alone") {
  request r{"ping", {}};
  CHECK_FALSE(r.reply_to);
  CHECK_THROWS_AS(r.reply_to.send(reply{"pong"}), std::logic_error);  // an empty handle says so
}
