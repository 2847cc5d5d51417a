#include "dicometl/model/dataset.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace dicometl {

namespace {
const std::string kEmpty;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\0')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.remove_suffix(1);
  return s;
}
}  // namespace

const std::string& Element::first() const { return values.empty() ? kEmpty : values.front(); }

const Element* Dataset::find(Tag tag) const {
  // Elements are in ascending order; a binary search keeps look-ups cheap on large headers.
  auto it = std::lower_bound(elements.begin(), elements.end(), tag,
                             [](const Element& e, Tag t) { return e.tag < t; });
  if (it != elements.end() && it->tag == tag) return &*it;
  // Files with out-of-order elements exist; fall back to a scan rather than miss them.
  for (const auto& e : elements)
    if (e.tag == tag) return &e;
  return nullptr;
}

const std::string& Dataset::text(Tag tag) const {
  const Element* e = find(tag);
  return e ? e->first() : kEmpty;
}

std::string Dataset::joined(Tag tag) const {
  const Element* e = find(tag);
  if (!e) return {};
  std::string out;
  for (std::size_t i = 0; i < e->values.size(); ++i) {
    if (i) out.push_back('\\');
    out += e->values[i];
  }
  return out;
}

std::optional<double> Dataset::number(Tag tag) const { return parse_decimal(text(tag)); }
std::optional<std::int64_t> Dataset::integer(Tag tag) const { return parse_integer(text(tag)); }

std::optional<double> parse_decimal(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_integer(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace dicometl
