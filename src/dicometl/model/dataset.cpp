#include "dicometl/model/dataset.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>

namespace dicometl {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\0')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.remove_suffix(1);
  return s;
}
}  // namespace

Element::Element(const allocator_type& a) : values(a), binary(a), items(a), private_creator(a) {}

Element::Element(const Element& o, const allocator_type& a)
    : tag(o.tag),
      vr{o.vr[0], o.vr[1]},
      bulk(o.bulk),
      length(o.length),
      offset(o.offset),
      values(o.values, a),
      binary(o.binary, a),
      items(o.items, a),
      private_creator(o.private_creator, a) {}

Element::Element(Element&& o, const allocator_type& a)
    : tag(o.tag),
      vr{o.vr[0], o.vr[1]},
      bulk(o.bulk),
      length(o.length),
      offset(o.offset),
      values(std::move(o.values), a),
      binary(std::move(o.binary), a),
      items(std::move(o.items), a),
      private_creator(std::move(o.private_creator), a) {}

std::string_view Element::first() const {
  return values.empty() ? std::string_view() : std::string_view(values.front());
}

std::string Element::joined() const {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out.push_back('\\');
    out += values[i];
  }
  return out;
}

Dataset Dataset::with_arena(std::size_t first_block) {
  auto arena = std::make_shared<Arena>(first_block);
  Dataset out(arena.get());
  out.arena = std::move(arena);
  return out;
}

Dataset& Dataset::operator=(const Dataset& o) {
  if (this != &o) elements = o.elements;  // keeps this dataset's memory (and arena)
  return *this;
}

Dataset& Dataset::operator=(Dataset&& o) noexcept {
  // std::pmr containers keep their own memory on assignment, which would copy every value out
  // of `o`'s arena: rebuild in place instead, taking `o`'s memory as a move constructor does.
  if (this != &o) {
    std::destroy_at(this);
    std::construct_at(this, std::move(o));
  }
  return *this;
}

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

std::string_view Dataset::text(Tag tag) const {
  const Element* e = find(tag);
  return e ? e->first() : std::string_view();
}

std::string Dataset::joined(Tag tag) const {
  const Element* e = find(tag);
  return e ? e->joined() : std::string();
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
