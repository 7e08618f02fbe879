#include <weir/exit_reason.hpp>
#include <weir/detail/type_name.hpp>

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <typeinfo>

namespace weir {
namespace {

std::string demangle(const char* mangled) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name{
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free};
  return status == 0 && name ? std::string{name.get()} : std::string{mangled};
}

}  // namespace

std::string detail::type_name(const std::type_info& type) { return demangle(type.name()); }

std::string exit_reason::to_string() const {
  std::string out{weir::to_string(kind)};
  if (!detail.empty()) {
    out += ": ";
    out += detail;
  }
  return out;
}

exit_reason exit_reason::from_exception(std::exception_ptr error) {
  exit_reason reason{exit_kind::crashed, {}};
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    reason.detail = demangle(typeid(e).name()) + ": " + e.what();
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    reason.detail = type != nullptr ? demangle(type->name()) + " (not a std::exception)"
                                    : std::string{"unknown exception"};
  }
  return reason;
}

}  // namespace weir
