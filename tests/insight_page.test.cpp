#include <weir/insight/page.hpp>  // first: the header must be self-contained

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace {

std::size_t count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("the page is one HTML document that loads nothing from elsewhere") {
  const std::string_view page = weir::insight::page;
  CHECK(page.substr(0, 15) == "<!doctype html>");
  CHECK(page.find("<title>weir insight</title>") != std::string_view::npos);
  CHECK(page.substr(page.size() - 8) == "</html>\n");
  // The only URL is the SVG namespace, a name rather than an address.
  CHECK(count(page, "http") == count(page, "\"http://www.w3.org/2000/svg\""));
  CHECK(count(page, " src=") == 0);
  CHECK(count(page, "href") == 0);
  CHECK(count(page, "@import") == 0);
  CHECK(count(page, "url(") == 0);
  // It asks its own server only, by relative URL.
  CHECK(count(page, "fetch(") == 2);
  CHECK(count(page, "fetch(\"snapshot.json\"") == 1);
  CHECK(count(page, "fetch(\"history.json\"") == 1);
}

TEST_CASE("the page inserts the system's strings as text, never as markup") {
  const std::string_view page = weir::insight::page;
  CHECK(count(page, "innerHTML") == 0);
  CHECK(count(page, "outerHTML") == 0);
  CHECK(count(page, "insertAdjacentHTML") == 0);
  CHECK(count(page, "document.write") == 0);
}
