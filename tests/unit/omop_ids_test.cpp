// IdAllocator::claim_many: ids only for keys without one, in key order, dense, a repeated key
// fresh once; a second call (a re-run) claims nothing it already has.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "dicometl/omop/id_allocator.hpp"
#include "dicometl/storage/database.hpp"

namespace {

using dicometl::omop::IdAllocator;

TEST(OmopIds, ClaimManyGivesIdsOnlyToNewKeys) {
  const std::string path = ::testing::TempDir() + "omop_ids_" + std::to_string(::getpid()) + ".db";
  ::unlink(path.c_str());
  auto db = dicometl::storage::open_database("sqlite:" + path);
  db->execute(
      "CREATE TABLE dicometl_omop_id (kind TEXT NOT NULL, source_key TEXT NOT NULL, "
      "id INTEGER NOT NULL, PRIMARY KEY (kind, source_key))");
  IdAllocator ids(*db, "dicometl_omop_id");
  ids.add_kind("radiology_image", "SELECT 5");  // the target table already holds ids up to 5

  dicometl::storage::in_transaction(*db, [&] {
    const auto first = ids.claim_many("radiology_image", {"a", "b"});
    ASSERT_EQ(first.size(), 2u);
    EXPECT_TRUE(first[0].fresh);
    EXPECT_EQ(first[0].id, 6);
    EXPECT_TRUE(first[1].fresh);
    EXPECT_EQ(first[1].id, 7);

    const auto second = ids.claim_many("radiology_image", {"b", "c", "c", "d"});
    ASSERT_EQ(second.size(), 4u);
    EXPECT_FALSE(second[0].fresh);  // claimed above
    EXPECT_TRUE(second[1].fresh);
    EXPECT_EQ(second[1].id, 8);
    EXPECT_FALSE(second[2].fresh);  // the same key again in one call
    EXPECT_TRUE(second[3].fresh);
    EXPECT_EQ(second[3].id, 9);  // dense: the repeat used no id
  });
  ids.end_batch();

  // Another batch (as a re-run would): nothing known is fresh, and the map holds one row per key.
  dicometl::storage::in_transaction(*db, [&] {
    for (const auto& id : ids.claim_many("radiology_image", {"a", "b", "c", "d"}))
      EXPECT_FALSE(id.fresh);
    const auto more = ids.claim_many("radiology_image", {"e"});
    EXPECT_EQ(more.at(0).id, 10);
  });
  auto q =
      db->prepare("SELECT count(*), max(id) FROM dicometl_omop_id WHERE kind = 'radiology_image'");
  ASSERT_TRUE(q->step());
  EXPECT_EQ(q->column_int(0), 5);
  EXPECT_EQ(q->column_int(1), 10);

  // prefetch: the get() calls that follow are answered from memory, with the same ids and
  // freshness that get() alone would give.
  ids.add_kind("procedure", "SELECT 0");
  dicometl::storage::in_transaction(*db, [&] {
    EXPECT_TRUE(ids.get("procedure", "s0").fresh);  // id 1, recorded before the prefetch
    ids.prefetch("procedure", {"s1", "s0", "s2", "s1"});
    const auto s1 = ids.get("procedure", "s1");
    EXPECT_TRUE(s1.fresh);
    EXPECT_EQ(s1.id, 2);
    const auto s0 = ids.get("procedure", "s0");
    EXPECT_FALSE(s0.fresh);
    EXPECT_EQ(s0.id, 1);
    const auto s2 = ids.get("procedure", "s2");
    EXPECT_TRUE(s2.fresh);
    EXPECT_EQ(s2.id, 3);
    const auto again = ids.get("procedure", "s1");  // asked twice: the second time it is known
    EXPECT_FALSE(again.fresh);
    EXPECT_EQ(again.id, 2);
  });
  ids.end_batch();
  dicometl::storage::in_transaction(*db, [&] { EXPECT_EQ(ids.get("procedure", "s3").id, 4); });

  db.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
}

}  // namespace
