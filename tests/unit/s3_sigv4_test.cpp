// SigV4 against the worked examples of the Amazon S3 API reference ("Signature Calculations for
// the Authorization Header"), plus the encoding of awkward keys.
#include <gtest/gtest.h>

#include <string>

#include "dicometl/source/s3/aws_config.hpp"
#include "dicometl/source/s3/s3_client.hpp"
#include "dicometl/source/s3/s3_url.hpp"
#include "dicometl/source/s3/sigv4.hpp"

using namespace dicometl::source::s3;

namespace {

const Credentials kDocCreds{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};

std::string header(const std::vector<std::string>& headers, const std::string& name) {
  for (const auto& h : headers)
    if (h.rfind(name + ": ", 0) == 0) return h.substr(name.size() + 2);
  return "";
}

}  // namespace

TEST(S3SigV4, AwsExampleGetObjectWithRange) {
  RequestToSign req;
  req.host = "examplebucket.s3.amazonaws.com";
  req.path = "/test.txt";
  req.headers = {{"Range", "bytes=0-9"}};
  const auto h = sign_v4(req, kDocCreds, "us-east-1", "20130524T000000Z");
  EXPECT_EQ(header(h, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(S3SigV4, AwsExampleListObjects) {
  RequestToSign req;
  req.host = "examplebucket.s3.amazonaws.com";
  req.path = "/";
  req.query = {{"prefix", "J"}, {"max-keys", "2"}};  // unsorted on purpose
  const auto h = sign_v4(req, kDocCreds, "us-east-1", "20130524T000000Z");
  EXPECT_EQ(header(h, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(S3SigV4, SessionTokenIsSignedAndAnonymousIsNot) {
  RequestToSign req;
  req.host = "h";
  req.path = "/k";
  Credentials c = kDocCreds;
  c.session_token = "TOKEN";
  const auto h = sign_v4(req, c, "eu-west-1", "20240101T000000Z");
  EXPECT_EQ(header(h, "x-amz-security-token"), "TOKEN");
  EXPECT_NE(header(h, "Authorization").find("x-amz-security-token"), std::string::npos);
  EXPECT_EQ(header(sign_v4(req, Credentials{}, "eu-west-1", "20240101T000000Z"), "Authorization"),
            "");
}

TEST(S3SigV4, CanonicalRequestEncodesKeysOnce) {
  Config cfg;
  cfg.endpoint = parse_endpoint("http://127.0.0.1:9000");
  const Target t = make_target(cfg, "bucket", "dir with space/é+&=?.dcm", {});
  EXPECT_EQ(t.url, "http://127.0.0.1:9000/bucket/dir%20with%20space/%C3%A9%2B%26%3D%3F.dcm");
  EXPECT_EQ(t.host, "127.0.0.1:9000");
  EXPECT_EQ(t.path, "/bucket/dir%20with%20space/%C3%A9%2B%26%3D%3F.dcm");
  RequestToSign req;
  req.host = t.host;
  req.path = t.path;
  req.query = {{"prefix", "a b/é"}, {"list-type", "2"}};
  std::string signed_headers;
  const std::string creq = canonical_request(req, {{"Host", t.host}}, signed_headers);
  EXPECT_EQ(creq.substr(0, creq.find("\nhost")),
            "GET\n/bucket/dir%20with%20space/%C3%A9%2B%26%3D%3F.dcm\n"
            "list-type=2&prefix=a%20b%2F%C3%A9");
}

TEST(S3Addressing, VirtualHostedUnlessPathStyleOrIp) {
  Config aws;
  aws.endpoint.host = "s3.eu-west-1.amazonaws.com";
  EXPECT_EQ(make_target(aws, "my-bucket", "a/b", {}).url,
            "https://my-bucket.s3.eu-west-1.amazonaws.com/a/b");
  EXPECT_EQ(make_target(aws, "my-bucket", "", {{"list-type", "2"}}).url,
            "https://my-bucket.s3.eu-west-1.amazonaws.com/?list-type=2");
  // Dots break the TLS wildcard certificate: path-style.
  EXPECT_EQ(make_target(aws, "my.bucket", "k", {}).url,
            "https://s3.eu-west-1.amazonaws.com/my.bucket/k");
  aws.path_style = true;
  EXPECT_EQ(make_target(aws, "my-bucket", "", {}).url,
            "https://s3.eu-west-1.amazonaws.com/my-bucket");
  Config minio;
  minio.endpoint = parse_endpoint("https://minio.example.org:9443/s3/");
  EXPECT_EQ(make_target(minio, "bk1", "k", {}).url, "https://bk1.minio.example.org:9443/s3/k");
  minio.path_style = true;
  EXPECT_EQ(make_target(minio, "bk1", "k", {}).url, "https://minio.example.org:9443/s3/bk1/k");
}

TEST(S3Url, ParsesBucketAndPrefix) {
  std::string error;
  auto loc = parse_s3_url("s3://bucket/a/b/", error);
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->bucket, "bucket");
  EXPECT_EQ(loc->prefix, "a/b/");
  loc = parse_s3_url("S3://bucket", error);
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->prefix, "");
  EXPECT_FALSE(parse_s3_url("s3:///key", error));
  EXPECT_FALSE(parse_s3_url("s3://bad bucket/key", error));
  EXPECT_EQ(url_decode_plus("a+b%2Bc%C3%A9%zz"), "a b+cé%zz");
}
