// ListObjectsV2 answers as S3 writes them (from the API reference), entities and url encoding.
#include <gtest/gtest.h>

#include "dicometl/source/s3/list_xml.hpp"

using namespace dicometl::source::s3;

TEST(S3Xml, ParsesAPageWithContinuation) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>bucket</Name><Prefix/><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
      "<IsTruncated>true</IsTruncated>"
      "<Contents><Key>a &amp; b/&#233;t&#xE9; &lt;1&gt;.dcm</Key>"
      "<LastModified>2009-10-12T17:50:30.123Z</LastModified>"
      "<ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234</Size>"
      "<StorageClass>STANDARD</StorageClass></Contents>"
      "<Contents><Key>z</Key><LastModified>1970-01-01T00:00:01.000Z</LastModified>"
      "<ETag>\"x\"</ETag><Size>0</Size></Contents>"
      "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
      "</ListBucketResult>";
  ListPage page;
  std::string error;
  ASSERT_TRUE(parse_list_page(xml, page, error)) << error;
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[0].key, "a & b/été <1>.dcm");
  EXPECT_EQ(page.objects[0].size, 434234u);
  EXPECT_EQ(page.objects[0].etag, "\"fba9dede5f27731c9771645a39863328\"");
  EXPECT_EQ(page.objects[0].mtime_ns, 1255369830123000000LL);
  EXPECT_EQ(page.objects[1].mtime_ns, 1000000000LL);
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3Xml, UrlEncodedKeysAndLastPage) {
  const std::string xml =
      "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
      "<Contents><Key>dir+with+space/%C3%A9%2B.dcm</Key><Size>5</Size></Contents>"
      "</ListBucketResult>";
  ListPage page;
  std::string error;
  ASSERT_TRUE(parse_list_page(xml, page, error)) << error;
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].key, "dir with space/é+.dcm");
  EXPECT_FALSE(page.truncated);
}

TEST(S3Xml, RejectsWhatIsNotAListing) {
  ListPage page;
  std::string error;
  EXPECT_FALSE(parse_list_page("<html>proxy error</html>", page, error));
  EXPECT_FALSE(parse_list_page("<ListBucketResult><IsTruncated>true</IsTruncated>"
                               "</ListBucketResult>", page, error));
  EXPECT_EQ(parse_error_body("<Error><Code>NoSuchBucket</Code><Message>The specified bucket "
                             "does not exist</Message></Error>"),
            "NoSuchBucket: The specified bucket does not exist");
  EXPECT_EQ(parse_error_body("not xml"), "");
  // Not well-formed: an unknown entity, an unclosed element.
  EXPECT_FALSE(
      parse_list_page("<ListBucketResult><Contents><Key>&bogus;</Key></Contents>"
                      "</ListBucketResult>",
                      page, error));
  EXPECT_FALSE(parse_list_page("<ListBucketResult><Contents><Key>a</Key>", page, error));
}

// What the old string scanner got wrong (issue 13): XML that S3-compatible servers and proxies
// may write, all of it well-formed.
TEST(S3Xml, AttributesCommentsCdataAndPrefixesParseAsXml) {
  const std::string xml =
      "<?xml version=\"1.0\"?>\n"
      "<!-- listing of <Contents><Key>fake</Key></Contents> -->"
      "<s3:ListBucketResult xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<s3:IsTruncated>false</s3:IsTruncated>"
      "<s3:Contents id=\"1\"><s3:Key type=\"text\"><![CDATA[a<b>&c.dcm]]></s3:Key>"
      "<!-- <Size>1</Size> --><s3:Size>42</s3:Size>"
      "<s3:ETag>&quot;e&quot;</s3:ETag></s3:Contents>"
      "<Contents ><Key>x&#x1F600;&#233;<!-- c -->y</Key><Size>\n7\n</Size></Contents >"
      "</s3:ListBucketResult>";
  ListPage page;
  std::string error;
  ASSERT_TRUE(parse_list_page(xml, page, error)) << error;
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[0].key, "a<b>&c.dcm");
  EXPECT_EQ(page.objects[0].size, 42u);
  EXPECT_EQ(page.objects[0].etag, "\"e\"");
  EXPECT_EQ(page.objects[1].key, "x\xF0\x9F\x98\x80\xC3\xA9y");
  EXPECT_EQ(page.objects[1].size, 7u);
  EXPECT_FALSE(page.truncated);
  EXPECT_EQ(parse_error_body("<Error code=\"1\"><!-- x --><Code><![CDATA[SlowDown]]></Code>"
                             "<Message>Please &lt;slow&gt; down</Message></Error>"),
            "SlowDown: Please <slow> down");
}

TEST(S3Xml, ChangeKeyFollowsTheEtagWithinTheSameMillisecond) {
  const std::int64_t t = 1255369830123000000LL;  // 2009-10-12T17:50:30.123Z
  const std::int64_t a = change_key_ns(t, "\"fba9dede5f27731c9771645a39863328\"");
  const std::int64_t b = change_key_ns(t, "\"0ba9dede5f27731c9771645a39863328\"");
  EXPECT_NE(a, b);                                            // other bytes, same time: re-read
  EXPECT_EQ(a, change_key_ns(t, "\"fba9dede5f27731c9771645a39863328\""));  // stable
  EXPECT_EQ(a / 1000000, t / 1000000);                        // the millisecond is kept
  EXPECT_EQ(b / 1000000, t / 1000000);
  EXPECT_EQ(change_key_ns(t, ""), t);                         // no ETag: LastModified alone
}
