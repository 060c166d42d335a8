#include "domain/media.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "domain/plan_testing.h"
#include "domain/post_media.h"
#include "plan/media_testing.h"

namespace carepost::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const absl::Duration kDay = absl::Hours(24);

class MediaServiceTest : public testing::PlanTest {
 protected:
  void SetUp() override {
    PlanTest::SetUp();
    if (HasFatalFailure()) return;
    media_ = std::make_unique<MediaService>(db(), clock_, *audit_, *blobs_);
  }

  int64_t Upload(const std::string& bytes, int64_t brand = 0, const std::string& who = "author") {
    absl::StatusOr<Uploaded> up =
        media_->Upload(as(who), brand ? brand : cardiology_, bytes, "photo.jpg");
    EXPECT_TRUE(up.ok()) << up.status();
    return up.ok() ? up->media.id : 0;
  }

  // A draft in Cardiology for X and Facebook with `media`.
  absl::StatusOr<int64_t> DraftWith(std::vector<MediaAttachment> media,
                                    const std::string& who = "author") {
    return posts_->Create(
        as(who), {.brand_id = cardiology_,
                  .content = {.master_text = "Flu shots are free this week at every clinic.",
                              .variants = {{.platform = "x"}, {.platform = "facebook"}},
                              .media = std::move(media)},
                  .scheduled_at = clock_.Now() + 3 * kDay,
                  .time_zone = "America/New_York"});
  }

  std::unique_ptr<MediaStore> blobs_ = NewMemoryMediaStore();
  std::unique_ptr<MediaService> media_;
};

INSTANTIATE_TEST_SUITE_P(Backends, MediaServiceTest, CAREPOST_ALL_BACKENDS);

TEST_P(MediaServiceTest, UploadStoresACleanCopyWithoutGps) {
  const std::string dirty = plan::testing::JpegWithGps();
  ASSERT_NE(dirty.find(plan::testing::kGpsLatitude), std::string::npos);
  absl::StatusOr<Uploaded> up =
      media_->Upload(as("author"), cardiology_, dirty, "C:\\Users\\ann\\Jane Doe room 4.png");
  ASSERT_TRUE(up.ok()) << up.status();
  const Media& m = up->media;
  EXPECT_EQ(m.type, plan::MediaType::kJpeg);  // the content decides, not the name
  EXPECT_EQ(m.width, plan::testing::kW);
  EXPECT_EQ(m.height, plan::testing::kH);
  EXPECT_TRUE(m.metadata_stripped);
  EXPECT_EQ(m.filename, "Jane_Doe_room_4.jpg");
  EXPECT_THAT(up->metadata_removed, ::testing::Contains(HasSubstr("Exif")));

  absl::StatusOr<std::string> stored = media_->Content(as("analyst"), m.id);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->find(plan::testing::kGpsLatitude), std::string::npos);
  EXPECT_EQ(stored->find("Exif"), std::string::npos);
  EXPECT_EQ(static_cast<int64_t>(stored->size()), m.bytes);
  EXPECT_EQ(m.sha256, MediaKey(*stored));
  EXPECT_EQ(plan::testing::DecodeJpeg(*stored),
            plan::testing::DecodeJpeg(plan::testing::EncodeJpeg()));

  // Audited without the file name (it may name a patient).
  std::vector<AuditEvent> events = Events("media.upload");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].entry.details, Not(HasSubstr("Jane")));
  EXPECT_THAT(events[0].entry.details, HasSubstr("image/jpeg"));
  EXPECT_EQ(events[0].entry.record_id, std::to_string(m.id));
  // So is the fetch of the bytes, by whom.
  std::vector<AuditEvent> views = Events("media.view");
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].entry.record_id, std::to_string(m.id));
  EXPECT_EQ(views[0].entry.actor_user_id, as("analyst").user_id());
  EXPECT_THAT(views[0].entry.details, Not(HasSubstr("Jane")));
}

TEST_P(MediaServiceTest, TypeIsCheckedByContent) {
  for (const std::string& bytes :
       {std::string("just some text, honestly"), std::string("<svg onload=alert(1)></svg>"),
        std::string("%PDF-1.7 ..."), std::string()}) {
    absl::StatusOr<Uploaded> up = media_->Upload(as("author"), cardiology_, bytes, "image.png");
    EXPECT_EQ(up.status().code(), absl::StatusCode::kInvalidArgument) << bytes;
  }
  // A JPEG cut short is malformed, named with its offset.
  const std::string cut = plan::testing::EncodeJpeg().substr(0, 40);
  EXPECT_THAT(
      std::string(media_->Upload(as("author"), cardiology_, cut, "a.jpg").status().message()),
      HasSubstr("JPEG file is malformed"));
  MediaService small(db(), clock_, *audit_, *blobs_, {.max_bytes = 100});
  EXPECT_EQ(
      small.Upload(as("author"), cardiology_, plan::testing::EncodeJpeg(), "a.jpg").status().code(),
      absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(Events("media.upload").empty());
}

TEST_P(MediaServiceTest, WhoMayUploadReadAndDelete) {
  const std::string jpeg = plan::testing::EncodeJpeg();
  EXPECT_EQ(media_->Upload(as("analyst"), cardiology_, jpeg, "a.jpg").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(media_->Upload(as("cardio_author"), oncology_, jpeg, "a.jpg").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(media_->Upload(as("outsider"), cardiology_, jpeg, "a.jpg").status().code(),
            absl::StatusCode::kNotFound);
  const int64_t id = Upload(jpeg, oncology_);
  EXPECT_TRUE(media_->Get(as("analyst"), id).ok());
  for (const char* who : {"outsider", "cardio_author", "responder"}) {
    EXPECT_EQ(media_->Get(as(who), id).status().code(), absl::StatusCode::kNotFound) << who;
    EXPECT_EQ(media_->Content(as(who), id).status().code(), absl::StatusCode::kNotFound) << who;
  }
  EXPECT_TRUE(Events("media.view").empty());  // refused reads read nothing
  EXPECT_EQ(media_->Delete(as("analyst"), id).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(media_->Delete(as("outsider"), id).code(), absl::StatusCode::kNotFound);
}

TEST_P(MediaServiceTest, DeleteOnlyUnattachedMediaAndKeepSharedBytes) {
  const std::string jpeg = plan::testing::EncodeJpeg();
  const int64_t a = Upload(jpeg), b = Upload(jpeg), c = Upload(jpeg);
  const std::string key = media_->Get(as("author"), a)->sha256;
  ASSERT_TRUE(DraftWith({{.media_id = c, .alt_text = "A nurse gives a flu shot."}}).ok());
  ASSERT_TRUE(media_->Delete(as("author"), a).ok());
  EXPECT_EQ(media_->Get(as("author"), a).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(blobs_->Get(key).ok());  // b and c hold the same bytes
  EXPECT_THAT(std::string(media_->Delete(as("author"), c).message()),
              HasSubstr("attached to post"));
  ASSERT_TRUE(media_->Delete(as("author"), b).ok());
  EXPECT_TRUE(blobs_->Get(key).ok());  // c still uses them
  EXPECT_EQ(Events("media.delete").size(), 2u);
}

TEST_P(MediaServiceTest, TheLastDeletedCopyTakesTheBytes) {
  const int64_t id = Upload(plan::testing::EncodeJpeg());
  const std::string key = media_->Get(as("author"), id)->sha256;
  ASSERT_TRUE(media_->Delete(as("author"), id).ok());
  EXPECT_EQ(blobs_->Get(key).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(MediaServiceTest, AltTextIsRequiredAndChecked) {
  const int64_t id = Upload(plan::testing::EncodeJpeg());
  absl::StatusOr<int64_t> post = DraftWith({{.media_id = id, .alt_text = "  "}});
  EXPECT_EQ(post.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(post.status().message()), HasSubstr("media[0].alt_text is required"));
  post = DraftWith({{.media_id = id, .alt_text = std::string(1501, 'a')}});
  EXPECT_THAT(std::string(post.status().message()), HasSubstr("at most 1500"));
  post = DraftWith({{.media_id = id, .alt_text = "A nurse.", .platforms = {"tiktok"}}});
  EXPECT_THAT(std::string(post.status().message()), HasSubstr("no variant for"));
  post = DraftWith({{.media_id = 999999, .alt_text = "A nurse."}});
  EXPECT_THAT(std::string(post.status().message()), HasSubstr("media[0].media_id"));
}

TEST_P(MediaServiceTest, OnlyMediaOfThePostsBrandCanBeAttached) {
  const int64_t oncology_media = Upload(plan::testing::EncodeJpeg(), oncology_, "admin");
  for (const char* who : {"author", "cardio_author"}) {
    absl::StatusOr<int64_t> post =
        DraftWith({{.media_id = oncology_media, .alt_text = "A nurse."}}, who);
    EXPECT_EQ(post.status().code(), absl::StatusCode::kInvalidArgument) << who;
    EXPECT_THAT(std::string(post.status().message()), HasSubstr("for this post's brand"));
  }
}

TEST_P(MediaServiceTest, AltTextIsContentAndTravelsWithTheRevision) {
  const int64_t id = Upload(plan::testing::EncodeJpeg());
  absl::StatusOr<int64_t> post = DraftWith({{.media_id = id, .alt_text = "A nurse."}});
  ASSERT_TRUE(post.ok()) << post.status();
  ASSERT_TRUE(posts_->Submit(as("author"), *post).ok());
  ASSERT_TRUE(posts_->Approve(as("manager"), *post).ok());
  PostContent content = posts_->Get(as("author"), *post)->content;
  ASSERT_EQ(content.media.size(), 1u);
  EXPECT_EQ(content.media[0].alt_text, "A nurse.");
  content.media[0].alt_text = "A nurse gives a flu shot at the clinic.";
  absl::StatusOr<Post> edited =
      posts_->Update(as("author"), *post, {.content = content, .guard = GuardReport{}});
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(edited->status, PostStatus::kInReview);
  EXPECT_EQ(edited->revision, 2);
  absl::StatusOr<std::vector<PostRevision>> revisions = posts_->Revisions(as("author"), *post);
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ((*revisions)[0].content.media[0].alt_text, "A nurse.");
  EXPECT_EQ((*revisions)[1].content.media[0].alt_text, "A nurse gives a flu shot at the clinic.");
}

TEST_P(MediaServiceTest, TooLargeForXButFineForFacebook) {
  absl::StatusOr<Uploaded> up =
      media_->Upload(as("author"), cardiology_, plan::testing::JpegOfSize(6'000'000), "big.jpg");
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_GT(up->media.bytes, 5'000'000);
  for (const PlatformFit& fit : MediaFitness(up->media)) {
    if (fit.platform == "x") {
      EXPECT_FALSE(fit.fits);
      EXPECT_THAT(fit.reason, HasSubstr("X takes JPEG files up to 5.0 MB"));
    }
    if (fit.platform == "facebook") {
      EXPECT_TRUE(fit.fits) << fit.reason;
    }
  }
  absl::StatusOr<int64_t> post =
      DraftWith({{.media_id = up->media.id, .alt_text = "A chart of flu cases by week."}});
  ASSERT_TRUE(post.ok()) << post.status();
  ASSERT_TRUE(posts_->Submit(as("author"), *post).ok());
  ASSERT_TRUE(posts_->Approve(as("manager"), *post).ok());
  absl::StatusOr<Post> scheduled = posts_->Schedule(as("manager"), *post);
  EXPECT_EQ(scheduled.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(scheduled.status().message()),
              HasSubstr("cannot go to x: X takes JPEG files up to 5.0 MB"));
  // Sent to Facebook only, it can be scheduled (after the edit is approved again).
  PostContent content = posts_->Get(as("author"), *post)->content;
  content.media[0].platforms = {"facebook"};
  ASSERT_TRUE(
      posts_->Update(as("author"), *post, {.content = content, .guard = GuardReport{}}).ok());
  ASSERT_TRUE(posts_->Approve(as("manager"), *post).ok());
  scheduled = posts_->Schedule(as("manager"), *post);
  ASSERT_TRUE(scheduled.ok()) << scheduled.status();
  EXPECT_EQ(scheduled->status, PostStatus::kScheduled);
}

TEST_P(MediaServiceTest, AltTextLongerThanXTakesCannotGoToX) {
  const int64_t id = Upload(plan::testing::EncodeJpeg());
  absl::StatusOr<int64_t> post = DraftWith({{.media_id = id, .alt_text = std::string(1200, 'a')}});
  ASSERT_TRUE(post.ok()) << post.status();
  ASSERT_TRUE(posts_->Submit(as("author"), *post).ok());
  ASSERT_TRUE(posts_->Approve(as("manager"), *post).ok());
  EXPECT_THAT(std::string(posts_->Schedule(as("manager"), *post).status().message()),
              HasSubstr("X takes alt text up to 1000"));
}

TEST(SanitizeFilenameTest, SafeNamesWithTheRightExtension) {
  using plan::MediaType;
  EXPECT_EQ(SanitizeFilename("IMG_0042.JPG", MediaType::kJpeg), "IMG_0042.jpg");
  EXPECT_EQ(SanitizeFilename("scan.jpg", MediaType::kPng), "scan.png");
  EXPECT_EQ(SanitizeFilename("../../etc/passwd", MediaType::kGif), "passwd.gif");
  EXPECT_EQ(SanitizeFilename("a\"b;\r\nc.webp", MediaType::kWebp), "a_b_c.webp");
  EXPECT_EQ(SanitizeFilename("", MediaType::kMp4), "upload.mp4");
  EXPECT_EQ(SanitizeFilename(".htaccess", MediaType::kMov), "upload.mov");
  EXPECT_EQ(SanitizeFilename("\xC3\xA9t\xC3\xA9.png", MediaType::kPng), "t.png");
  EXPECT_EQ(SanitizeFilename(std::string(300, 'x') + ".png", MediaType::kPng).size(), 79u);
}

class FileMediaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/carepost-media-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(FileMediaStoreTest, ContentAddressedPrivateFilesAndNoTemporariesLeft) {
  absl::StatusOr<std::unique_ptr<MediaStore>> store = OpenFileMediaStore(dir_ + "/media");
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<std::string> key = (*store)->Put("picture bytes");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, MediaKey("picture bytes"));
  EXPECT_EQ(*(*store)->Put("picture bytes"), *key);
  const std::string path = dir_ + "/media/" + key->substr(0, 2) + "/" + key->substr(2);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat((dir_ + "/media").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir_ + "/media")) {
    if (e.is_regular_file()) {
      ++files;
      EXPECT_THAT(e.path().filename().string(), Not(HasSubstr(".tmp")));
    }
  }
  EXPECT_EQ(files, 1);
  EXPECT_EQ(*(*store)->Get(*key), "picture bytes");

  // Reopened, the blob is still there; changed on disk, it is refused.
  store = OpenFileMediaStore(dir_ + "/media/");
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->Get(*key), "picture bytes");
  std::ofstream(path) << "other bytes";
  EXPECT_EQ((*store)->Get(*key).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE((*store)->Remove(*key).ok());
  EXPECT_TRUE((*store)->Remove(*key).ok());
  EXPECT_EQ((*store)->Get(*key).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ((*store)->Get("../../etc/passwd").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*store)->Get(std::string(64, 'A')).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carepost::domain
