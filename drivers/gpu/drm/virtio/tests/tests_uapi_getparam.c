// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_getparam: what GETPARAM tells userspace of
 * the device, through DRM files on the fake device.
 */

#include <kunit/test.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "vgpu_uapi.h"

/* Capset ids vgt_config() offers. */
#define Q_CAPSET_MASK	(BIT(VIRTIO_GPU_CAPSET_VIRGL) | BIT(VIRTIO_GPU_CAPSET_VIRGL2) | \
			 BIT(VGT_CAPSET_GFXSTREAM) | BIT(VIRTIO_GPU_CAPSET_VENUS))

static const struct vu_dev q_devs[] = {
	{ "2d", VU_F_2D, false },
	{ "virgl", VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_VIRGL, true },
	{ "ctx-init", VGT_FEATURES_3D, true },
	{ "blob-uuid", VU_F_2D | VGPU_FAKE_F_RESOURCE_BLOB | VGPU_FAKE_F_RESOURCE_UUID, false },
	{ "all", VU_F_ALL, true },
};

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
static int q_expected(const struct vu_dev *d, u64 param)
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
	const struct vu_dev *d = &q_devs[i / ARRAY_SIZE(q_params)];
	u64 param = q_params[i % ARRAY_SIZE(q_params)].param;
	struct vu *u = vu_create_dev(test, d);
	struct file *f = vu_open(u);
	int val = -1;

	KUNIT_ASSERT_EQ(test, vu_getparam(u, f, param, &val), 0);
	KUNIT_EXPECT_EQ(test, val, q_expected(d, param));
}

static const struct vu_u64 q_unknown_params[] = {
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
	const struct vu_u64 *p = test->param_value;
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

static const struct vu_u64 q_known_params[] = {
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
	const struct vu_u64 *p = test->param_value;
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

VGPU_FAKE_SUITES(q_getparam_suite, "virtio_gpu_uapi_getparam", q_getparam_cases);
