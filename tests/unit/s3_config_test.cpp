// Where S3 settings come from: options, environment variables, the shared config and
// credentials files and their profiles — with files written by the test.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "dicometl/source/s3/aws_config.hpp"
#include "dicometl/source/s3/s3_source.hpp"

using namespace dicometl::source::s3;

namespace {

struct Env {
  std::map<std::string, std::string> vars;
  GetEnv get() const {
    return [this](const char* n) {
      auto it = vars.find(n);
      return it == vars.end() ? std::string() : it->second;
    };
  }
};

class S3Config : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("dicometl-s3cfg-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / ".aws");
    std::ofstream(dir_ / ".aws" / "credentials")
        << "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = FILESECRET\n"
           "[work]\naws_access_key_id=WORKKEY\naws_secret_access_key=WORKSECRET\n"
           "aws_session_token = WORKTOKEN\n";
    std::ofstream(dir_ / ".aws" / "config")
        << "# comment\n[default]\nregion = eu-central-1\n"
           "[profile  work]\nregion=ap-south-1\nendpoint_url = http://10.0.0.5:9000\n"
           "s3 =\n  addressing_style = path\n"
           "[profile onlyconfig]\naws_access_key_id = CFGKEY\naws_secret_access_key = CFGSECRET\n";
    env_.vars["HOME"] = dir_.string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  Env env_;
};

}  // namespace

TEST_F(S3Config, DefaultProfileFromFiles) {
  Config c = resolve_config({}, env_.get());
  EXPECT_EQ(c.credentials.access_key_id, "FILEKEY");
  EXPECT_EQ(c.credentials.secret_access_key, "FILESECRET");
  EXPECT_EQ(c.region, "eu-central-1");
  EXPECT_EQ(c.endpoint.host, "s3.eu-central-1.amazonaws.com");
  EXPECT_FALSE(c.endpoint.custom);
}

TEST_F(S3Config, EnvironmentBeatsFilesUnlessProfileIsExplicit) {
  env_.vars["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_.vars["AWS_SECRET_ACCESS_KEY"] = "ENVSECRET";
  env_.vars["AWS_SESSION_TOKEN"] = "ENVTOKEN";
  env_.vars["AWS_DEFAULT_REGION"] = "us-west-2";
  Config c = resolve_config({}, env_.get());
  EXPECT_EQ(c.credentials.access_key_id, "ENVKEY");
  EXPECT_EQ(c.credentials.session_token, "ENVTOKEN");
  EXPECT_EQ(c.region, "us-west-2");
  env_.vars["AWS_REGION"] = "sa-east-1";
  EXPECT_EQ(resolve_config({}, env_.get()).region, "sa-east-1");

  Options o;
  o.profile = "work";
  c = resolve_config(o, env_.get());
  EXPECT_EQ(c.credentials.access_key_id, "WORKKEY");
  EXPECT_EQ(c.credentials.session_token, "WORKTOKEN");
  EXPECT_EQ(c.region, "sa-east-1");  // the environment's region still wins over the file's
  EXPECT_EQ(c.endpoint.host, "10.0.0.5");
  EXPECT_EQ(c.endpoint.port, "9000");
  EXPECT_TRUE(c.path_style);
  o.region = "eu-north-1";
  EXPECT_EQ(resolve_config(o, env_.get()).region, "eu-north-1");
}

TEST_F(S3Config, ProfileFromEnvironmentAndFileLocations) {
  env_.vars["AWS_PROFILE"] = "onlyconfig";
  Config c = resolve_config({}, env_.get());
  EXPECT_EQ(c.credentials.access_key_id, "CFGKEY");
  EXPECT_EQ(c.region, "us-east-1");
  env_.vars["AWS_PROFILE"] = "missing";
  EXPECT_THROW(resolve_config({}, env_.get()), Error);
  env_.vars.erase("AWS_PROFILE");
  env_.vars["AWS_SHARED_CREDENTIALS_FILE"] = (dir_ / "nowhere").string();
  env_.vars["AWS_CONFIG_FILE"] = (dir_ / "nowhere").string();
  c = resolve_config({}, env_.get());
  EXPECT_TRUE(c.credentials.empty());  // anonymous
}

TEST_F(S3Config, EndpointPrecedence) {
  env_.vars["AWS_ENDPOINT_URL"] = "http://localhost:1234";
  EXPECT_EQ(resolve_config({}, env_.get()).endpoint.port, "1234");
  env_.vars["AWS_ENDPOINT_URL_S3"] = "http://localhost:5678";
  EXPECT_EQ(resolve_config({}, env_.get()).endpoint.port, "5678");
  Options o;
  o.endpoint_url = "https://store.example:443";
  Config c = resolve_config(o, env_.get());
  EXPECT_EQ(c.endpoint.host, "store.example");
  EXPECT_EQ(c.endpoint.port, "");
  o.endpoint_url = "ftp://x";
  EXPECT_THROW(resolve_config(o, env_.get()), Error);
  o.endpoint_url = "http://user:pw@x";
  EXPECT_THROW(resolve_config(o, env_.get()), Error);
}

TEST(S3Roots, FolderSemanticsAndMirrorPaths) {
  EXPECT_TRUE(under_root("a/b/c.dcm", "a/b"));
  EXPECT_TRUE(under_root("a/b", "a/b"));
  EXPECT_FALSE(under_root("a/bc/d.dcm", "a/b"));
  EXPECT_TRUE(under_root("a/bc/d.dcm", "a/b/") == false);
  EXPECT_TRUE(under_root("anything", ""));
  std::string reason;
  EXPECT_EQ(mirror_path("/m", "bk", "x/y z/é.dcm", reason), "/m/bk/x/y z/é.dcm");
  EXPECT_EQ(mirror_path("/m", "bk", "x/../../etc/passwd", reason), "");
  EXPECT_EQ(mirror_path("/m", "bk", "x//y", reason), "");
  EXPECT_EQ(mirror_path("/m", "bk", "/abs", reason), "");
}
