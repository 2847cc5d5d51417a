// A parsed header's elements live in its dataset's arena (model/dataset.hpp): copies, moves and
// elements taken elsewhere must stay valid after that dataset is gone (AddressSanitizer builds
// and the values compared here catch a dangling arena).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "dicometl/model/dataset.hpp"

using namespace dicometl;

namespace {

// A dataset in its own arena: a long value (not inline in the string) and a sequence item.
Dataset parsed_like() {
  Dataset ds = Dataset::with_arena(64);  // small: the arena must grow past its first block
  Element& uid = ds.elements.emplace_back();
  uid.tag = make_tag(0x0008, 0x0018);
  uid.vr[0] = 'U';
  uid.vr[1] = 'I';
  uid.values.emplace_back("1.2.826.0.1.3680043.8.498.12345678901234567890");
  Element& seq = ds.elements.emplace_back();
  seq.tag = make_tag(0x0008, 0x1115);
  seq.vr[0] = 'S';
  seq.vr[1] = 'Q';
  Element& inner = seq.items.emplace_back().elements.emplace_back();
  inner.tag = make_tag(0x0020, 0x000E);
  inner.values.emplace_back("a series instance uid long enough to leave the string");
  return ds;
}

std::string inner_value(const Dataset& ds) {
  return std::string(ds.elements.at(1).items.at(0).elements.at(0).first());
}

}  // namespace

TEST(DatasetArena, ElementsAndItemsUseTheArena) {
  Dataset ds = parsed_like();
  ASSERT_NE(ds.arena, nullptr);
  EXPECT_GT(ds.arena->used(), 0u);
  EXPECT_EQ(ds.elements[1].items[0].elements[0].values.get_allocator().resource(), ds.arena.get());
}

TEST(DatasetArena, ACopyOutlivesTheOriginal) {
  Dataset copy;
  {
    Dataset ds = parsed_like();
    copy = ds;
  }
  EXPECT_EQ(copy.text(make_tag(0x0008, 0x0018)), "1.2.826.0.1.3680043.8.498.12345678901234567890");
  EXPECT_EQ(inner_value(copy), "a series instance uid long enough to leave the string");
  Dataset constructed = [] {
    Dataset ds = parsed_like();
    return Dataset(ds);
  }();
  EXPECT_EQ(constructed.arena, nullptr);  // a copy is in ordinary memory
  EXPECT_EQ(inner_value(constructed), "a series instance uid long enough to leave the string");
}

TEST(DatasetArena, AMoveTakesTheArenaAlong) {
  Dataset target;
  target = parsed_like();
  ASSERT_NE(target.arena, nullptr);
  EXPECT_EQ(inner_value(target), "a series instance uid long enough to leave the string");
  Dataset moved(std::move(target));
  EXPECT_EQ(inner_value(moved), "a series instance uid long enough to leave the string");
}

TEST(DatasetArena, ElementsMovedIntoAnotherDatasetAreCopiedIntoItsMemory) {
  Dataset plain;
  {
    Dataset ds = parsed_like();
    for (auto& e : ds.elements) plain.elements.push_back(std::move(e));
  }
  EXPECT_EQ(plain.text(make_tag(0x0008, 0x0018)), "1.2.826.0.1.3680043.8.498.12345678901234567890");
  EXPECT_EQ(inner_value(plain), "a series instance uid long enough to leave the string");
}

TEST(DatasetArena, AnItemCopiedOutOutlivesItsParent) {
  Dataset item;
  {
    Dataset ds = parsed_like();
    item = ds.elements[1].items[0];
  }
  EXPECT_EQ(item.elements.at(0).first(), "a series instance uid long enough to leave the string");
}
