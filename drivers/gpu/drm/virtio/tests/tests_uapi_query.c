// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suites virtio_gpu_uapi_getparam, virtio_gpu_uapi_caps and
 * virtio_gpu_uapi_context_init: what userspace learns of the device and
 * how it sets up its context, through DRM files on the fake device.
 */

#include <kunit/test.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "vgpu_uapi.h"

/* Capset ids vgt_config() offers. */
#define Q_CAPSET_MASK	(BIT(VIRTIO_GPU_CAPSET_VIRGL) | BIT(VIRTIO_GPU_CAPSET_VIRGL2) | \
			 BIT(VGT_CAPSET_GFXSTREAM) | BIT(VIRTIO_GPU_CAPSET_VENUS))

/**
 * struct q_dev - a device configuration
 * @desc: its name
 * @features: offered features
 * @capsets: offer vgt_config()'s capsets
 */
struct q_dev {
	const char *desc;
	u64 features;
	bool capsets;
};

static const struct q_dev q_devs[] = {
	{ "2d", VU_F_2D, false },
	{ "virgl", VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_VIRGL, true },
	{ "ctx-init", VGT_FEATURES_3D, true },
	{ "blob-uuid", VU_F_2D | VGPU_FAKE_F_RESOURCE_BLOB | VGPU_FAKE_F_RESOURCE_UUID, false },
	{ "all", VU_F_ALL, true },
};

static struct vu *q_create(struct kunit *test, const struct q_dev *d)
{
	struct vgpu_fake_host_config cfg;

	vgt_config(&cfg, d->features);
	if (!d->capsets)
		cfg.num_capsets = 0;
	return vu_create(test, &cfg);
}

/* ---- virtio_gpu_uapi_getparam ---- */

static const struct {
	const char *name;
	u64 param;
} q_params[] = {
	{ "3D_FEATURES", VIRTGPU_PARAM_3D_FEATURES },
	{ "CAPSET_QUERY_FIX", VIRTGPU_PARAM_CAPSET_QUERY_FIX },
	{ "RESOURCE_BLOB", VIRTGPU_PARAM_RESOURCE_BLOB },
	{ "HOST_VISIBLE", VIRTGPU_PARAM_HOST_VISIBLE },
	{ "CROSS_DEVICE", VIRTGPU_PARAM_CROSS_DEVICE },
	{ "CONTEXT_INIT", VIRTGPU_PARAM_CONTEXT_INIT },
	{ "SUPPORTED_CAPSET_IDs", VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs },
	{ "EXPLICIT_DEBUG_NAME", VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME },
};

/* Parameter i * ARRAY_SIZE(q_params) + j: parameter j on device i. */
static const u8 q_gp_index[ARRAY_SIZE(q_devs) * ARRAY_SIZE(q_params)] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
	20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39,
};

static const void *q_getparams_gen_params(const void *prev, char *desc)
{
	const u8 *p = prev ? (const u8 *)prev + 1 : q_gp_index;
	size_t i = p - q_gp_index;

	if (i >= ARRAY_SIZE(q_gp_index))
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s@%s", q_params[i % ARRAY_SIZE(q_params)].name,
		 q_devs[i / ARRAY_SIZE(q_params)].desc);
	return p;
}

/* What the driver must answer for @param on a device offering @d. */
static int q_expected(const struct q_dev *d, u64 param)
{
	switch (param) {
	case VIRTGPU_PARAM_3D_FEATURES:
		return !!(d->features & VGPU_FAKE_F_VIRGL);
	case VIRTGPU_PARAM_CAPSET_QUERY_FIX:
		return 1;
	case VIRTGPU_PARAM_RESOURCE_BLOB:
		return !!(d->features & VGPU_FAKE_F_RESOURCE_BLOB);
	case VIRTGPU_PARAM_HOST_VISIBLE:
		return 0;
	case VIRTGPU_PARAM_CROSS_DEVICE:
		return !!(d->features & VGPU_FAKE_F_RESOURCE_UUID);
	case VIRTGPU_PARAM_CONTEXT_INIT:
	case VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME:
		return !!(d->features & VGPU_FAKE_F_CONTEXT_INIT);
	case VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs:
		return d->capsets ? Q_CAPSET_MASK : 0;
	}
	return -1;
}

/*
 * Every parameter on every device configuration: the value follows what
 * the fake device offered (host-visible memory is never reported, capset
 * ids are a bit mask of the offered capsets).
 */
static void virtio_gpu_getparam_value_follows_features(struct kunit *test)
{
	u8 i = *(const u8 *)test->param_value;
	const struct q_dev *d = &q_devs[i / ARRAY_SIZE(q_params)];
	u64 param = q_params[i % ARRAY_SIZE(q_params)].param;
	struct vu *u = q_create(test, d);
	struct file *f = vu_open(u);
	int val = -1;

	KUNIT_ASSERT_EQ(test, vu_getparam(u, f, param, &val), 0);
	KUNIT_EXPECT_EQ(test, val, q_expected(d, param));
}

/**
 * struct q_u64 - a named 64-bit value
 * @desc: its name
 * @v: the value
 */
struct q_u64 {
	const char *desc;
	u64 v;
};

static const struct q_u64 q_unknown_params[] = {
	{ "zero", 0 },
	{ "after-last", VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME + 1 },
	{ "0x100", 0x100 },
	{ "high-bits-of-3d", BIT_ULL(32) | VIRTGPU_PARAM_3D_FEATURES },
	{ "all-ones", U64_MAX },
};

KUNIT_ARRAY_PARAM_DESC(q_unknown_params, q_unknown_params, desc);

/* An unknown parameter is -EINVAL and writes nothing. */
static void virtio_gpu_getparam_unknown_param(struct kunit *test)
{
	const struct q_u64 *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	int __user *uval = vu_ualloc(u, sizeof(int));
	struct drm_virtgpu_getparam gp = { .param = p->v, .value = vu_uptr(uval) };
	int val;

	KUNIT_ASSERT_EQ(test, put_user(0x5a5a, uval), 0);
	KUNIT_EXPECT_EQ(test, vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_GETPARAM, &gp), -EINVAL);
	KUNIT_ASSERT_EQ(test, get_user(val, uval), 0);
	KUNIT_EXPECT_EQ(test, val, 0x5a5a);
}

static const struct q_u64 q_known_params[] = {
	{ "3D_FEATURES", VIRTGPU_PARAM_3D_FEATURES },
	{ "CAPSET_QUERY_FIX", VIRTGPU_PARAM_CAPSET_QUERY_FIX },
	{ "RESOURCE_BLOB", VIRTGPU_PARAM_RESOURCE_BLOB },
	{ "HOST_VISIBLE", VIRTGPU_PARAM_HOST_VISIBLE },
	{ "CROSS_DEVICE", VIRTGPU_PARAM_CROSS_DEVICE },
	{ "CONTEXT_INIT", VIRTGPU_PARAM_CONTEXT_INIT },
	{ "SUPPORTED_CAPSET_IDs", VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs },
	{ "EXPLICIT_DEBUG_NAME", VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME },
};

KUNIT_ARRAY_PARAM_DESC(q_known_params, q_known_params, desc);

/* A value pointer to unmapped memory is -EFAULT for every parameter. */
static void virtio_gpu_getparam_unmapped_value_efault(struct kunit *test)
{
	const struct q_u64 *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_getparam gp = {
		.param = p->v,
		.value = vu_uptr(vu_ubad(u)),
	};

	KUNIT_EXPECT_EQ(test, vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_GETPARAM, &gp), -EFAULT);
}

/* A NULL value pointer is -EFAULT too. */
static void virtio_gpu_getparam_null_value_efault(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_getparam gp = { .param = VIRTGPU_PARAM_3D_FEATURES };

	KUNIT_EXPECT_EQ(test, vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_GETPARAM, &gp), -EFAULT);
}

/* The value is an int: the bytes after it are left alone. */
static void virtio_gpu_getparam_writes_int_only(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	u8 __user *uval = vu_ualloc(u, 8);
	struct drm_virtgpu_getparam gp = {
		.param = VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs,
		.value = vu_uptr(uval),
	};
	static const u8 ff[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	u8 got[8];
	int val;

	KUNIT_ASSERT_EQ(test, copy_to_user(uval, ff, sizeof(ff)), 0);
	KUNIT_ASSERT_EQ(test, vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_GETPARAM, &gp), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(got, uval, sizeof(got)), 0);
	memcpy(&val, got, sizeof(val));
	KUNIT_EXPECT_EQ(test, val, Q_CAPSET_MASK);
	KUNIT_EXPECT_MEMEQ(test, got + sizeof(int), ff, sizeof(got) - sizeof(int));
}

/* GETPARAM sends nothing to the host. */
static void virtio_gpu_getparam_no_host_traffic(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	unsigned int i;
	int val;

	for (i = 0; i < ARRAY_SIZE(q_known_params); i++)
		KUNIT_EXPECT_EQ(test, vu_getparam(u, f, q_known_params[i].v, &val), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(u->t->host, VIRTIO_GPU_CMD_GET_CAPSET), 0);
}

/*
 * DRM_IOCTL_VERSION reports what the base driver reports: the name
 * "virtio_gpu", version 0.1.0, the description "virtio GPU".
 */
static void virtio_gpu_version_is_base(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	char __user *uname = vu_ualloc(u, 32);
	char __user *udesc = vu_ualloc(u, 32);
	struct drm_version v = {
		.name_len = 32, .name = uname,
		.desc_len = 32, .desc = udesc,
	};
	char name[33] = {}, desc[33] = {};

	KUNIT_ASSERT_EQ(test, vu_ioctl(u, f, DRM_IOCTL_VERSION, &v), 0);
	KUNIT_EXPECT_EQ(test, v.version_major, 0);
	KUNIT_EXPECT_EQ(test, v.version_minor, 1);
	KUNIT_EXPECT_EQ(test, v.version_patchlevel, 0);
	KUNIT_ASSERT_EQ(test, v.name_len, strlen("virtio_gpu"));
	KUNIT_ASSERT_EQ(test, copy_from_user(name, uname, v.name_len), 0);
	KUNIT_EXPECT_STREQ(test, name, "virtio_gpu");
	KUNIT_ASSERT_EQ(test, v.desc_len, strlen("virtio GPU"));
	KUNIT_ASSERT_EQ(test, copy_from_user(desc, udesc, v.desc_len), 0);
	KUNIT_EXPECT_STREQ(test, desc, "virtio GPU");
}

static struct kunit_case q_getparam_cases[] = {
	KUNIT_CASE_PARAM(virtio_gpu_getparam_value_follows_features, q_getparams_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_getparam_unknown_param, q_unknown_params_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_getparam_unmapped_value_efault, q_known_params_gen_params),
	KUNIT_CASE(virtio_gpu_getparam_null_value_efault),
	KUNIT_CASE(virtio_gpu_getparam_writes_int_only),
	KUNIT_CASE(virtio_gpu_getparam_no_host_traffic),
	KUNIT_CASE(virtio_gpu_version_is_base),
	{}
};

static struct kunit_suite q_getparam_suite = {
	.name = "virtio_gpu_uapi_getparam",
	.test_cases = q_getparam_cases,
};

/* ---- virtio_gpu_uapi_caps ---- */

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

static const struct q_u64 q_unknown_ids[] = {
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
	const struct q_u64 *p = test->param_value;
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

static const struct q_dev q_no_capset_devs[] = {
	{ "2d", VU_F_2D, false },
	{ "virgl-no-capsets", VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_VIRGL, false },
	{ "all-no-capsets", VU_F_ALL, false },
};

KUNIT_ARRAY_PARAM_DESC(q_no_capset_devs, q_no_capset_devs, desc);

/* A device without capsets answers GET_CAPS with -ENOSYS, whatever asked. */
static void virtio_gpu_get_caps_no_capsets(struct kunit *test)
{
	struct vu *u = q_create(test, test->param_value);
	struct file *f = vu_open(u);

	KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, VIRTIO_GPU_CAPSET_VIRGL, 1,
					  vu_ualloc(u, 64), 64), -ENOSYS);
	KUNIT_EXPECT_EQ(test, vu_get_caps(u, f, VIRTIO_GPU_CAPSET_VIRGL, 1,
					  vu_ualloc(u, 64), 0), -ENOSYS);
}

static const struct q_u64 q_short_sizes[] = {
	{ "1-byte", 1 },
	{ "5-bytes", 5 },
	{ "size-minus-1", sizeof(q_caps_c) - 1 },
};

KUNIT_ARRAY_PARAM_DESC(q_short_sizes, q_short_sizes, desc);

/* A size below the capset's copies only that many bytes. */
static void virtio_gpu_get_caps_short_size(struct kunit *test)
{
	const struct q_u64 *p = test->param_value;
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

static struct kunit_suite q_caps_suite = {
	.name = "virtio_gpu_uapi_caps",
	.test_cases = q_caps_cases,
};

/* ---- virtio_gpu_uapi_context_init ---- */

#define Q_P(name, value) { VIRTGPU_CONTEXT_PARAM_##name, (value) }
/* Stands for the user address of a valid debug name. */
#define Q_NAME		0xdeb9

/**
 * struct q_ci - one CONTEXT_INIT call
 * @desc: its name
 * @params: the parameters; a DEBUG_NAME value of Q_NAME is replaced by the
 * address of a valid name
 * @n: parameters passed
 * @err: expected result
 * @capset_id: capset the host context must get (on success)
 * @num_rings: rings the file must get (on success)
 */
struct q_ci {
	const char *desc;
	struct drm_virtgpu_context_set_param params[5];
	u32 n;
	int err;
	u32 capset_id;
	u32 num_rings;
};

static const struct q_ci q_ci_valid[] = {
	{ "no-params", {}, 0, 0, 0, 0 },
	{ "capset-virgl", { Q_P(CAPSET_ID, 1) }, 1, 0, 1, 0 },
	{ "capset-virgl2", { Q_P(CAPSET_ID, 2) }, 1, 0, 2, 0 },
	{ "capset-gfxstream", { Q_P(CAPSET_ID, 3) }, 1, 0, 3, 0 },
	{ "capset-venus", { Q_P(CAPSET_ID, 4) }, 1, 0, 4, 0 },
	{ "rings-1", { Q_P(NUM_RINGS, 1) }, 1, 0, 0, 1 },
	{ "rings-64", { Q_P(NUM_RINGS, 64) }, 1, 0, 0, 64 },
	{ "rings-2-poll-both", { Q_P(NUM_RINGS, 2), Q_P(POLL_RINGS_MASK, 3) }, 2, 0, 0, 2 },
	{ "poll-before-rings", { Q_P(POLL_RINGS_MASK, 4), Q_P(NUM_RINGS, 3) }, 2, 0, 0, 3 },
	{ "rings-64-poll-all", { Q_P(NUM_RINGS, 64), Q_P(POLL_RINGS_MASK, U64_MAX) },
	  2, 0, 0, 64 },
	{ "rings-3-poll-none", { Q_P(NUM_RINGS, 3), Q_P(POLL_RINGS_MASK, 0) }, 2, 0, 0, 3 },
	{ "name-only", { Q_P(DEBUG_NAME, Q_NAME) }, 1, 0, 0, 0 },
	{ "all-four", { Q_P(CAPSET_ID, 4), Q_P(NUM_RINGS, 4), Q_P(POLL_RINGS_MASK, 5),
			Q_P(DEBUG_NAME, Q_NAME) }, 4, 0, 4, 4 },
};

static const struct q_ci q_ci_invalid[] = {
	{ "capset-twice", { Q_P(CAPSET_ID, 1), Q_P(CAPSET_ID, 2) }, 2, -EINVAL },
	{ "rings-twice", { Q_P(NUM_RINGS, 1), Q_P(NUM_RINGS, 2) }, 2, -EINVAL },
	{ "poll-twice", { Q_P(NUM_RINGS, 2), Q_P(POLL_RINGS_MASK, 1),
			  Q_P(POLL_RINGS_MASK, 2) }, 3, -EINVAL },
	{ "name-twice", { Q_P(DEBUG_NAME, Q_NAME), Q_P(DEBUG_NAME, Q_NAME) }, 2, -EINVAL },
	{ "five-params", { Q_P(CAPSET_ID, 1), Q_P(NUM_RINGS, 1), Q_P(POLL_RINGS_MASK, 1),
			   Q_P(DEBUG_NAME, Q_NAME), Q_P(CAPSET_ID, 1) }, 5, -EINVAL },
	{ "capset-64", { Q_P(CAPSET_ID, 64) }, 1, -EINVAL },
	{ "capset-63-not-offered", { Q_P(CAPSET_ID, 63) }, 1, -EINVAL },
	{ "capset-5-not-offered", { Q_P(CAPSET_ID, 5) }, 1, -EINVAL },
	{ "capset-0", { Q_P(CAPSET_ID, 0) }, 1, -EINVAL },
	{ "capset-2^32+1", { Q_P(CAPSET_ID, BIT_ULL(32) | 1) }, 1, -EINVAL },
	{ "rings-0", { Q_P(NUM_RINGS, 0) }, 1, -EINVAL },
	{ "rings-65", { Q_P(NUM_RINGS, 65) }, 1, -EINVAL },
	{ "rings-2^32+1", { Q_P(NUM_RINGS, BIT_ULL(32) | 1) }, 1, -EINVAL },
	{ "poll-outside-2-rings", { Q_P(NUM_RINGS, 2), Q_P(POLL_RINGS_MASK, 4) }, 2, -EINVAL },
	{ "poll-bit-63-of-63-rings", { Q_P(NUM_RINGS, 63), Q_P(POLL_RINGS_MASK, BIT_ULL(63)) },
	  2, -EINVAL },
	{ "poll-without-rings", { Q_P(POLL_RINGS_MASK, 1) }, 1, -EINVAL },
	{ "param-0", { { 0, 0 } }, 1, -EINVAL },
	{ "param-5", { { 5, 0 } }, 1, -EINVAL },
	{ "param-2^32+1", { { BIT_ULL(32) | 1, 1 } }, 1, -EINVAL },
	{ "good-then-unknown", { Q_P(NUM_RINGS, 2), { 9, 0 } }, 2, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(q_ci_valid, q_ci_valid, desc);
KUNIT_ARRAY_PARAM_DESC(q_ci_invalid, q_ci_invalid, desc);

static const char q_name[] = "uapi-ctx-name";

/* Issues @c's CONTEXT_INIT with real user addresses for Q_NAME. */
static int q_ci_call(struct vu *u, struct file *f, const struct q_ci *c)
{
	struct drm_virtgpu_context_set_param p[5];
	u64 uname = vu_uptr(vu_ucopy(u, q_name, sizeof(q_name)));
	u32 i;

	memcpy(p, c->params, sizeof(p));
	for (i = 0; i < ARRAY_SIZE(p); i++)
		if (p[i].param == VIRTGPU_CONTEXT_PARAM_DEBUG_NAME && p[i].value == Q_NAME)
			p[i].value = uname;
	return vu_context_init(u, f, p, c->n);
}

/* The host context of @f, which must exist. */
static void q_host_ctx(struct vu *u, struct file *f, struct vgpu_fake_ctx_info *info)
{
	KUNIT_ASSERT_TRUE(u->test, vgt_settle(u->t));
	KUNIT_ASSERT_TRUE_MSG(u->test, vgpu_fake_host_get_ctx(u->t->host, vu_ctx_id(f), info),
			      "the host has no context %u", vu_ctx_id(f));
}

/*
 * A valid parameter set creates the host context at once, with the
 * capset, the rings and (if given) the debug name.
 */
static void virtio_gpu_context_init_valid(struct kunit *test)
{
	const struct q_ci *c = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vgpu_fake_ctx_info info;
	bool named = false;
	u32 i;

	KUNIT_ASSERT_EQ(test, q_ci_call(u, f, c), 0);
	q_host_ctx(u, f, &info);
	KUNIT_EXPECT_EQ(test, info.capset_id, c->capset_id);
	KUNIT_EXPECT_EQ(test, vu_fpriv(f)->num_rings, c->num_rings);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 1);
	for (i = 0; i < c->n; i++)
		named |= c->params[i].param == VIRTGPU_CONTEXT_PARAM_DEBUG_NAME;
	if (named)
		KUNIT_EXPECT_STREQ(test, info.debug_name, q_name);
}

/*
 * An invalid parameter set fails as a whole: no host context, nothing
 * kept, and a valid CONTEXT_INIT on the same file still works.
 */
static void virtio_gpu_context_init_invalid(struct kunit *test)
{
	const struct q_ci *c = test->param_value;
	static const struct drm_virtgpu_context_set_param ok = Q_P(NUM_RINGS, 1);
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vgpu_fake_ctx_info info;

	KUNIT_EXPECT_EQ(test, q_ci_call(u, f, c), c->err);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 0);
	KUNIT_EXPECT_EQ(test, vu_fpriv(f)->num_rings, 0);

	KUNIT_ASSERT_EQ(test, vu_context_init(u, f, &ok, 1), 0);
	q_host_ctx(u, f, &info);
	KUNIT_EXPECT_EQ(test, info.capset_id, 0);
	KUNIT_EXPECT_EQ(test, vu_fpriv(f)->num_rings, 1);
	KUNIT_EXPECT_FALSE(test, vu_fpriv(f)->explicit_name);
}

/* A second CONTEXT_INIT is -EEXIST, even with no parameters. */
static void virtio_gpu_context_init_twice(struct kunit *test)
{
	static const struct drm_virtgpu_context_set_param p = Q_P(NUM_RINGS, 2);
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);

	KUNIT_ASSERT_EQ(test, vu_context_init(u, f, &p, 1), 0);
	KUNIT_EXPECT_EQ(test, vu_context_init(u, f, &p, 1), -EEXIST);
	KUNIT_EXPECT_EQ(test, vu_context_init(u, f, NULL, 0), -EEXIST);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(u->t->host, VIRTIO_GPU_CMD_CTX_CREATE), 1);
	KUNIT_EXPECT_EQ(test, vu_fpriv(f)->num_rings, 2);
}

/* Once a 3D resource created the context lazily, CONTEXT_INIT is -EEXIST. */
static void virtio_gpu_context_init_after_lazy(struct kunit *test)
{
	static const struct drm_virtgpu_context_set_param p = Q_P(NUM_RINGS, 1);
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);

	vu_bo(u, f);
	q_host_ctx(u, f, NULL);
	KUNIT_EXPECT_EQ(test, vu_context_init(u, f, &p, 1), -EEXIST);
	KUNIT_EXPECT_EQ(test, vu_fpriv(f)->num_rings, 0);
}

static const struct q_dev q_no_ctx_init_devs[] = {
	{ "2d", VU_F_2D, false },
	{ "virgl-no-ctx-init", VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_VIRGL, true },
	{ "ctx-init-no-virgl", VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_CONTEXT_INIT, true },
};

KUNIT_ARRAY_PARAM_DESC(q_no_ctx_init_devs, q_no_ctx_init_devs, desc);

/* Without CONTEXT_INIT (or without 3D) the ioctl is -EINVAL. */
static void virtio_gpu_context_init_no_feature(struct kunit *test)
{
	struct vu *u = q_create(test, test->param_value);
	struct file *f = vu_open(u);

	KUNIT_EXPECT_EQ(test, vu_context_init(u, f, NULL, 0), -EINVAL);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 0);
}

/* A parameter array at an unreadable address is -EFAULT. */
static void virtio_gpu_context_init_bad_params_ptr(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_context_init ci = {
		.num_params = 1,
		.ctx_set_params = vu_uptr(vu_ubad(u)),
	};

	KUNIT_EXPECT_EQ(test, vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci), -EFAULT);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 0);
}

/* A debug name at an unreadable address is -EFAULT; nothing is created. */
static void virtio_gpu_context_init_bad_name_ptr(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_context_set_param p[2] = {
		Q_P(NUM_RINGS, 2),
		Q_P(DEBUG_NAME, vu_uptr(vu_ubad(u))),
	};

	KUNIT_EXPECT_EQ(test, vu_context_init(u, f, p, 2), -EFAULT);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 0);
	KUNIT_EXPECT_EQ(test, vu_fpriv(f)->num_rings, 0);
	KUNIT_EXPECT_EQ(test, vu_context_init(u, f, p, 1), 0);
}

/* A debug name longer than 63 bytes reaches the host cut to 63. */
static void virtio_gpu_context_init_long_name_cut(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vgpu_fake_ctx_info info;
	char name[100];
	struct drm_virtgpu_context_set_param p;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	p.param = VIRTGPU_CONTEXT_PARAM_DEBUG_NAME;
	p.value = vu_uptr(vu_ucopy(u, name, sizeof(name)));
	KUNIT_ASSERT_EQ(test, vu_context_init(u, f, &p, 1), 0);
	q_host_ctx(u, f, &info);
	name[63] = '\0';
	KUNIT_EXPECT_STREQ(test, info.debug_name, name);
}

/* Without a debug name, the host context is named after the process. */
static void virtio_gpu_context_init_default_name(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vgpu_fake_ctx_info info;
	char comm[TASK_COMM_LEN];

	KUNIT_ASSERT_EQ(test, vu_context_init(u, f, NULL, 0), 0);
	q_host_ctx(u, f, &info);
	get_task_comm(comm, current);
	KUNIT_EXPECT_STREQ(test, info.debug_name, comm);
}

/* Opening a file creates no host context; each file has its own id. */
static void virtio_gpu_context_init_open_is_lazy(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u), *g = vu_open(u);

	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 0);
	KUNIT_EXPECT_NE(test, vu_ctx_id(f), vu_ctx_id(g));
	KUNIT_EXPECT_NE(test, vu_ctx_id(f), 0);
	KUNIT_EXPECT_NE(test, vu_ctx_id(g), 0);
}

/**
 * struct q_first_use - an ioctl that needs the host context
 * @desc: its name
 * @kind: what to do, see virtio_gpu_context_init_lazy_on_first_use()
 */
struct q_first_use {
	const char *desc;
	int kind;
};

static const struct q_first_use q_first_uses[] = {
	{ "resource-create", 0 },
	{ "execbuffer", 1 },
	{ "host3d-blob", 2 },
};

KUNIT_ARRAY_PARAM_DESC(q_first_uses, q_first_uses, desc);

/*
 * Without CONTEXT_INIT, the first ioctl that needs the host context creates
 * it, plain (no capset), once; later uses do not create it again.
 */
static void virtio_gpu_context_init_lazy_on_first_use(struct kunit *test)
{
	const struct q_first_use *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create_blob b = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D,
		.size = PAGE_SIZE,
		.blob_id = 7,
	};
	struct vgpu_fake_ctx_info info;
	struct vu_exec x;
	int round;

	for (round = 0; round < 2; round++) {
		switch (p->kind) {
		case 0:
			vu_bo(u, f);
			break;
		case 1:
			vu_exec_init(&x);
			KUNIT_ASSERT_EQ(test, vu_submit(u, f, &x), 0);
			break;
		case 2:
			KUNIT_ASSERT_EQ(test, vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB,
						       &b), 0);
			break;
		}
	}
	q_host_ctx(u, f, &info);
	KUNIT_EXPECT_EQ(test, info.context_init, 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(u->t->host, VIRTIO_GPU_CMD_CTX_CREATE), 1);
	KUNIT_EXPECT_FALSE(test, vu_fpriv(f)->context_init);
}

/* The host sees the capset in the context_init word of CTX_CREATE. */
static void virtio_gpu_context_init_capset_on_wire(struct kunit *test)
{
	static const struct drm_virtgpu_context_set_param p[2] = {
		Q_P(CAPSET_ID, VIRTIO_GPU_CAPSET_VENUS), Q_P(NUM_RINGS, 3),
	};
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct virtio_gpu_ctx_create cc;

	KUNIT_ASSERT_EQ(test, vu_context_init(u, f, p, 2), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, VIRTIO_GPU_CMD_CTX_CREATE,
						      &cc, sizeof(cc)), sizeof(cc));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cc.hdr.ctx_id), vu_ctx_id(f));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cc.context_init) &
			VIRTIO_GPU_CONTEXT_INIT_CAPSET_ID_MASK, VIRTIO_GPU_CAPSET_VENUS);
}

static struct kunit_case q_ci_cases[] = {
	KUNIT_CASE_PARAM(virtio_gpu_context_init_valid, q_ci_valid_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_context_init_invalid, q_ci_invalid_gen_params),
	KUNIT_CASE(virtio_gpu_context_init_twice),
	KUNIT_CASE(virtio_gpu_context_init_after_lazy),
	KUNIT_CASE_PARAM(virtio_gpu_context_init_no_feature, q_no_ctx_init_devs_gen_params),
	KUNIT_CASE(virtio_gpu_context_init_bad_params_ptr),
	KUNIT_CASE(virtio_gpu_context_init_bad_name_ptr),
	KUNIT_CASE(virtio_gpu_context_init_long_name_cut),
	KUNIT_CASE(virtio_gpu_context_init_default_name),
	KUNIT_CASE(virtio_gpu_context_init_open_is_lazy),
	KUNIT_CASE_PARAM(virtio_gpu_context_init_lazy_on_first_use, q_first_uses_gen_params),
	KUNIT_CASE(virtio_gpu_context_init_capset_on_wire),
	{}
};

static struct kunit_suite q_ci_suite = {
	.name = "virtio_gpu_uapi_context_init",
	.init = vgpu_fake_suite_init_qemu,
	.test_cases = q_ci_cases,
};

static struct kunit_suite q_ci_suite_crosvm = {
	.name = "virtio_gpu_uapi_context_init_crosvm",
	.init = vgpu_fake_suite_init_crosvm,
	.test_cases = q_ci_cases,
};

kunit_test_suites(&q_getparam_suite, &q_caps_suite, &q_ci_suite, &q_ci_suite_crosvm);
