// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_caps: capset data through GET_CAPS, fetched
 * from the host once per version and served from the cache.
 */

#include <kunit/test.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "vgpu_uapi.h"

static const u8 q_caps_a[40] = { 'c', 'a', 'p', 'a', [39] = 0xa0 };
static const u8 q_caps_b[12] = { 'c', 'a', 'p', 'b', 1, 2, 3, 4, 5, 6, 7, 8 };
static const u8 q_caps_c[100] = { 'c', 'a', 'p', 'c', [50] = 0xc5, [99] = 0xcc };

/**
 * struct q_capset - a capset of q_caps_config()
 * @desc: its name
 * @id: capset id
 * @max_version: highest version
 * @size: data size the host announces
 * @data: the bytes the host sends, zero padded to @size
 * @len: bytes in @data
 */
struct q_capset {
	const char *desc;
	u32 id;
	u32 max_version;
	u32 size;
	const u8 *data;
	u32 len;
};

static const struct q_capset q_capsets[] = {
	{ "virgl", VIRTIO_GPU_CAPSET_VIRGL, 1, sizeof(q_caps_a), q_caps_a, sizeof(q_caps_a) },
	{ "virgl2", VIRTIO_GPU_CAPSET_VIRGL2, 2, 16, q_caps_b, sizeof(q_caps_b) },
	{ "venus", VIRTIO_GPU_CAPSET_VENUS, 0, sizeof(q_caps_c), q_caps_c, sizeof(q_caps_c) },
	{ "drm", VIRTIO_GPU_CAPSET_DRM, 3, 8, NULL, 0 },
};

KUNIT_ARRAY_PARAM_DESC(q_capsets, q_capsets, desc);

static struct vu *q_caps_create(struct kunit *test, u64 features)
{
	struct vgpu_fake_host_config cfg;
	unsigned int i;

	vgpu_fake_host_default_config(&cfg);
	cfg.features = features;
	cfg.num_capsets = ARRAY_SIZE(q_capsets);
	for (i = 0; i < ARRAY_SIZE(q_capsets); i++) {
		cfg.capsets[i].id = q_capsets[i].id;
		cfg.capsets[i].max_version = q_capsets[i].max_version;
		cfg.capsets[i].max_size = q_capsets[i].size;
		cfg.capsets[i].data = q_capsets[i].data;
		cfg.capsets[i].data_len = q_capsets[i].len;
	}
	return vu_create(test, &cfg);
}

/* The bytes GET_CAPS must return for @cs: its data, zero padded. */
static u8 *q_caps_want(struct kunit *test, const struct q_capset *cs)
{
	u8 *want = kunit_kzalloc(test, cs->size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, want);
	if (cs->data)
		memcpy(want, cs->data, min(cs->len, cs->size));
	return want;
}

/* Each capset at its highest version comes back as the host sent it. */
static void virtio_gpu_get_caps_data_from_host(struct kunit *test)
{
	const struct q_capset *cs = test->param_value;
	struct vu *u = q_caps_create(test, VU_F_ALL);
	struct file *f = vu_open(u);
	void __user *ubuf = vu_ualloc(u, cs->size);
	u8 *want = q_caps_want(test, cs);
	u8 *got = kunit_kzalloc(test, cs->size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_EQ(test, vu_get_caps(u, f, cs->id, cs->max_version, ubuf, cs->size), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(got, ubuf, cs->size), 0);
	KUNIT_EXPECT_MEMEQ(test, got, want, cs->size);
}

/*
 * The capset cache: three GET_CAPS calls from two files cost the host
 * one GET_CAPSET, and all return the same bytes.
 */
static void virtio_gpu_get_caps_cached(struct kunit *test)
{
	const struct q_capset *cs = test->param_value;
	struct vu *u = q_caps_create(test, VU_F_ALL);
	struct file *f = vu_open(u), *g = vu_open(u);
	u8 *want = q_caps_want(test, cs);
	u8 *got = kunit_kzalloc(test, cs->size, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, got);
	for (i = 0; i < 3; i++) {
		void __user *ubuf = vu_ualloc(u, cs->size);

		KUNIT_ASSERT_EQ(test, vu_get_caps(u, i == 1 ? g : f, cs->id,
						  cs->max_version, ubuf, cs->size), 0);
		KUNIT_ASSERT_EQ(test, copy_from_user(got, ubuf, cs->size), 0);
		KUNIT_EXPECT_MEMEQ(test, got, want, cs->size);
	}
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(u->t->host, VIRTIO_GPU_CMD_GET_CAPSET), 1);
}

/* Each version of a capset is fetched once: two versions, two fetches. */
static void virtio_gpu_get_caps_each_version_fetched_once(struct kunit *test)
{
	const struct q_capset *cs = &q_capsets[1];
	struct vu *u = q_caps_create(test, VU_F_ALL);
	struct file *f = vu_open(u);
	u32 v;
	int round;

	for (round = 0; round < 2; round++)
		for (v = 1; v <= cs->max_version; v++)
			KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, cs->id, v, vu_ualloc(u, cs->size),
							  cs->size), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(u->t->host, VIRTIO_GPU_CMD_GET_CAPSET),
			cs->max_version);
}

/* A size of 0 is -EINVAL and asks the host nothing. */
static void virtio_gpu_get_caps_size_zero(struct kunit *test)
{
	struct vu *u = q_caps_create(test, VU_F_ALL);
	struct file *f = vu_open(u);

	KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, VIRTIO_GPU_CAPSET_VIRGL, 1,
					  vu_ualloc(u, 64), 0), -EINVAL);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(u->t->host, VIRTIO_GPU_CMD_GET_CAPSET), 0);
}

static const struct vu_u64 q_unknown_ids[] = {
	{ "id-0", 0 },
	{ "id-3-not-offered", VGT_CAPSET_GFXSTREAM },
	{ "id-63", 63 },
	{ "id-64", 64 },
	{ "id-4096", 4096 },
};

KUNIT_ARRAY_PARAM_DESC(q_unknown_ids, q_unknown_ids, desc);

/* A capset id the device does not offer is -EINVAL, nothing is fetched. */
static void virtio_gpu_get_caps_unknown_id(struct kunit *test)
{
	const struct vu_u64 *p = test->param_value;
	struct vu *u = q_caps_create(test, VU_F_ALL);
	struct file *f = vu_open(u);

	KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, p->v, 0, vu_ualloc(u, 64), 64), -EINVAL);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(u->t->host, VIRTIO_GPU_CMD_GET_CAPSET), 0);
}

/* A version above the capset's highest is -EINVAL. */
static void virtio_gpu_get_caps_version_too_high(struct kunit *test)
{
	const struct q_capset *cs = test->param_value;
	struct vu *u = q_caps_create(test, VU_F_ALL);
	struct file *f = vu_open(u);

	KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, cs->id, cs->max_version + 1,
					  vu_ualloc(u, cs->size), cs->size), -EINVAL);
	KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, cs->id, U32_MAX,
					  vu_ualloc(u, cs->size), cs->size), -EINVAL);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(u->t->host, VIRTIO_GPU_CMD_GET_CAPSET), 0);
}

static const struct vu_dev q_no_capset_devs[] = {
	{ "2d", VU_F_2D, false },
	{ "virgl-no-capsets", VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_VIRGL, false },
	{ "all-no-capsets", VU_F_ALL, false },
};

KUNIT_ARRAY_PARAM_DESC(q_no_capset_devs, q_no_capset_devs, desc);

/* A device without capsets answers GET_CAPS with -ENOSYS, whatever asked. */
static void virtio_gpu_get_caps_no_capsets(struct kunit *test)
{
	struct vu *u = vu_create_dev(test, test->param_value);
	struct file *f = vu_open(u);

	KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, VIRTIO_GPU_CAPSET_VIRGL, 1,
					  vu_ualloc(u, 64), 64), -ENOSYS);
	KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, VIRTIO_GPU_CAPSET_VIRGL, 1,
					  vu_ualloc(u, 64), 0), -ENOSYS);
}

static const struct vu_u64 q_short_sizes[] = {
	{ "1-byte", 1 },
	{ "5-bytes", 5 },
	{ "size-minus-1", sizeof(q_caps_c) - 1 },
};

KUNIT_ARRAY_PARAM_DESC(q_short_sizes, q_short_sizes, desc);

/* A size below the capset's copies only that many bytes. */
static void virtio_gpu_get_caps_short_size(struct kunit *test)
{
	const struct vu_u64 *p = test->param_value;
	const struct q_capset *cs = &q_capsets[2];
	struct vu *u = q_caps_create(test, VU_F_ALL);
	struct file *f = vu_open(u);
	u32 room = cs->size + 16;
	u8 *got = kunit_kzalloc(test, room, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, room, GFP_KERNEL);
	void __user *ubuf = vu_ualloc(u, room);

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_NOT_NULL(test, want);
	memset(want, 0xee, room);
	KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, want, room), 0);
	memcpy(want, cs->data, p->v);

	KUNIT_ASSERT_EQ(test, vu_get_caps(u, f, cs->id, cs->max_version, ubuf, p->v), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(got, ubuf, room), 0);
	KUNIT_EXPECT_MEMEQ(test, got, want, room);
}

/* A size above the capset's copies the capset only. */
static void virtio_gpu_get_caps_long_size(struct kunit *test)
{
	const struct q_capset *cs = &q_capsets[1];
	struct vu *u = q_caps_create(test, VU_F_ALL);
	struct file *f = vu_open(u);
	u32 room = 4 * cs->size;
	u8 *got = kunit_kzalloc(test, room, GFP_KERNEL);
	u8 *want = kunit_kzalloc(test, room, GFP_KERNEL);
	void __user *ubuf = vu_ualloc(u, room);

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_NOT_NULL(test, want);
	memset(want, 0xee, room);
	KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, want, room), 0);
	memset(want, 0, cs->size);
	memcpy(want, cs->data, min(cs->len, cs->size));

	KUNIT_ASSERT_EQ(test, vu_get_caps(u, f, cs->id, cs->max_version, ubuf, room), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(got, ubuf, room), 0);
	KUNIT_EXPECT_MEMEQ(test, got, want, room);
}

/*
 * An unwritable address is -EFAULT; the data was fetched and cached all
 * the same, so a retry costs the host nothing more.
 */
static void virtio_gpu_get_caps_efault_still_cached(struct kunit *test)
{
	const struct q_capset *cs = &q_capsets[0];
	struct vu *u = q_caps_create(test, VU_F_ALL);
	struct file *f = vu_open(u);

	KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, cs->id, cs->max_version, vu_ubad(u),
					  cs->size), -EFAULT);
	KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, cs->id, cs->max_version,
					  vu_ualloc(u, cs->size), cs->size), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(u->t->host, VIRTIO_GPU_CMD_GET_CAPSET), 1);
}

/*
 * A host error answering GET_CAPSET fails the ioctl and is not cached:
 * the next call asks the host again and gets the data.
 */
static void virtio_gpu_get_caps_host_error_not_cached(struct kunit *test)
{
	const struct q_capset *cs = &q_capsets[0];
	struct vu *u = q_caps_create(test, VU_F_ALL);
	struct file *f = vu_open(u);

	vgpu_fake_host_fail_next(u->t->host, VIRTIO_GPU_CMD_GET_CAPSET,
				 VIRTIO_GPU_RESP_ERR_UNSPEC);
	KUNIT_EXPECT_LT(test, vu_get_caps(u, f, cs->id, cs->max_version,
					  vu_ualloc(u, cs->size), cs->size), 0);
	KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, cs->id, cs->max_version,
					  vu_ualloc(u, cs->size), cs->size), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(u->t->host, VIRTIO_GPU_CMD_GET_CAPSET), 2);
}

static struct kunit_case q_caps_cases[] = {
	KUNIT_CASE_PARAM(virtio_gpu_get_caps_data_from_host, q_capsets_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_get_caps_cached, q_capsets_gen_params),
	KUNIT_CASE(virtio_gpu_get_caps_each_version_fetched_once),
	KUNIT_CASE(virtio_gpu_get_caps_size_zero),
	KUNIT_CASE_PARAM(virtio_gpu_get_caps_unknown_id, q_unknown_ids_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_get_caps_version_too_high, q_capsets_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_get_caps_no_capsets, q_no_capset_devs_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_get_caps_short_size, q_short_sizes_gen_params),
	KUNIT_CASE(virtio_gpu_get_caps_long_size),
	KUNIT_CASE(virtio_gpu_get_caps_efault_still_cached),
	KUNIT_CASE(virtio_gpu_get_caps_host_error_not_cached),
	{}
};

VGPU_FAKE_SUITES(q_caps_suite, "virtio_gpu_uapi_caps", q_caps_cases);
