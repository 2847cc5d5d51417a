#pragma once
// A DICOM dataset as plain values: what the DCMTK bridge produces and every writer consumes.
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dicometl/model/tag.hpp"

namespace dicometl {

struct Dataset;

//! Memory a parsed header's elements, values and items live in: one arena per file, freed at
//! once with the dataset (a scanner's header has ~300 elements; one allocation each cost more CPU
//! than the parse). Containers below take it from their parent (std::pmr uses-allocator rules).
//! It counts the bytes asked of it, so that the next file's first block can be sized to fit.
class Arena final : public std::pmr::memory_resource {
 public:
  explicit Arena(std::size_t first_block) : memory_(first_block) {}
  std::size_t used() const { return used_; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t align) override {
    used_ += bytes;
    return memory_.allocate(bytes, align);
  }
  void do_deallocate(void*, std::size_t, std::size_t) override {}  // all at once, at the end
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override {
    return this == &o;
  }

  std::pmr::monotonic_buffer_resource memory_;
  std::size_t used_ = 0;
};
//! The values of one element, in its dataset's memory.
using Values = std::pmr::vector<std::pmr::string>;

//! One data element. Text values are already decoded to UTF-8 and split on '\'.
//! Copies of an element or a dataset are made in ordinary memory: they do not depend on the arena.
struct Element {
  using allocator_type = std::pmr::polymorphic_allocator<>;

  Tag tag = 0;
  char vr[2] = {'U', 'N'};   //!< two-letter value representation
  bool bulk = false;         //!< value not loaded: bulk data (pixel data, large binary)
  std::uint32_t length = 0;  //!< value length in bytes as stored (0xFFFFFFFF = undefined)
  std::uint64_t offset = 0;  //!< bulk: where the value starts in the file (0 = unknown: deflated)
  Values values;             //!< text/number values (numbers in their canonical decimal form)
  std::pmr::string binary;   //!< raw bytes of a small binary value (OB, OW, UN, …), else empty
  std::pmr::vector<Dataset> items;   //!< sequence items (VR SQ)
  std::pmr::string private_creator;  //!< for private elements: the reserving creator's name

  Element() = default;
  explicit Element(const allocator_type& a);
  Element(const Element& o, const allocator_type& a);
  Element(Element&& o, const allocator_type& a);
  Element(const Element&) = default;
  Element(Element&&) = default;
  Element& operator=(const Element&) = default;
  Element& operator=(Element&&) = default;

  std::string_view vr_view() const { return {vr, 2}; }
  bool is_sequence() const { return vr[0] == 'S' && vr[1] == 'Q'; }
  //! First value or empty.
  std::string_view first() const;
  //! All values joined with '\' (as DICOM stores them), or "".
  std::string joined() const;
};

//! An ordered list of elements (ascending tag order, as in the file).
struct Dataset {
  using allocator_type = std::pmr::polymorphic_allocator<>;

  //! Set on a parsed header's top level: owns the memory of everything below (declared before
  //! `elements`, so it is freed after them). Nested items and default-built datasets have none:
  //! to keep an item or an element of a parsed header beyond the header, copy it (a copy is in
  //! ordinary memory); a plain move keeps the header's arena memory. Moves are not made to copy
  //! such memory out, because containers grow by moving and must stay cheap on the parse path.
  std::shared_ptr<Arena> arena;
  std::pmr::vector<Element> elements;

  Dataset() = default;
  explicit Dataset(const allocator_type& a) : elements(a) {}
  //! An empty dataset whose elements will live in a new arena of `first_block` bytes or more.
  static Dataset with_arena(std::size_t first_block);
  Dataset(const Dataset& o, const allocator_type& a) : elements(o.elements, a) {}
  Dataset(Dataset&& o, const allocator_type& a)
      : arena(o.arena), elements(std::move(o.elements), a) {}
  Dataset(const Dataset& o) : elements(o.elements) {}  // a copy is in ordinary memory
  Dataset(Dataset&&) = default;
  //! Copies into this dataset's own memory.
  Dataset& operator=(const Dataset& o);
  //! Takes over `o`'s elements and its arena (what a move should do).
  Dataset& operator=(Dataset&& o) noexcept;
  ~Dataset() = default;

  //! The element with `tag` at this level, or nullptr.
  const Element* find(Tag tag) const;
  //! First value of `tag` at this level, or "" when absent or empty.
  std::string_view text(Tag tag) const;
  //! All values of `tag` joined with '\' (as DICOM stores them), or "".
  std::string joined(Tag tag) const;
  std::optional<double> number(Tag tag) const;
  std::optional<std::int64_t> integer(Tag tag) const;
};

//! Parses a decimal string (DS/IS) leniently: surrounding spaces allowed; nullopt when not a
//! number.
std::optional<double> parse_decimal(std::string_view s);
std::optional<std::int64_t> parse_integer(std::string_view s);

}  // namespace dicometl
