// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_capset: capset info queried at probe, capset
 * infos with sizes or versions no real host sends left out, and capset
 * data fetched once and then served from the cache.
 */

#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/sizes.h>

#include "vgpu_uapi.h"

/* The capsets of vgt_config(), in index order. */
static const struct {
	u32 id;
	u32 max_version;
	u32 max_size;
} caps[] = {
	{ VIRTIO_GPU_CAPSET_VIRGL, 1, 32 },
	{ VIRTIO_GPU_CAPSET_VIRGL2, 2, 64 },
	{ VGT_CAPSET_GFXSTREAM, 1, 16 },
	{ VIRTIO_GPU_CAPSET_VENUS, 0, 24 },
};

/*
 * At probe the driver asks for the info of each capset once, records id,
 * highest version and size, and builds the mask of capset ids; no capset
 * data is fetched yet.
 */
static void capset_info_at_probe(struct kunit *test)
{
	struct vgt *t = vgt_create_3d(test);
	u64 mask = 0;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, t->vgdev->num_capsets, ARRAY_SIZE(caps));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_GET_CAPSET_INFO),
			ARRAY_SIZE(caps));
	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		const struct virtio_gpu_capset *cs = &t->vgdev->capsets[i];

		KUNIT_EXPECT_TRUE(test, cs->valid);
		KUNIT_EXPECT_EQ(test, cs->id, caps[i].id);
		KUNIT_EXPECT_EQ(test, cs->max_version, caps[i].max_version);
		KUNIT_EXPECT_EQ(test, cs->max_size, caps[i].max_size);
		mask |= BIT_ULL(caps[i].id);
	}
	KUNIT_EXPECT_EQ(test, t->vgdev->capset_mask, mask);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_GET_CAPSET), 0);
}

struct info_fault {
	const char *name;
	u32 err;			/* a host error, or 0 */
	enum vgpu_fake_misbehaviour what;	/* when @err is 0 */
	u64 arg;			/* of @what */
};

static const struct info_fault info_faults[] = {
	{ "err-unspec", VIRTIO_GPU_RESP_ERR_UNSPEC },
	{ "err-out-of-memory", VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY },
	{ "err-invalid-parameter", VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER },
	{ "short-response", 0, VGPU_FAKE_SHORT_RESPONSE },
	{ "wrong-type", 0, VGPU_FAKE_WRONG_TYPE },
	{ "used-len-past-buffer", 0, VGPU_FAKE_LONG_USED_LEN },
	{ "used-len-u32-max", 0, VGPU_FAKE_LONG_USED_LEN, U32_MAX },
};

static void info_fault_desc(const struct info_fault *f, char *desc)
{
	strscpy(desc, f->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(info_fault, info_faults, info_fault_desc);

/*
 * The info query of the first capset fails (error answer, or a bad
 * response: too short, of the wrong type, or claiming more bytes than its
 * buffer holds): that capset is left out of the capsets and the mask, and
 * cannot be fetched, while the device still probes with the other three.
 */
static void capset_info_failure(struct kunit *test)
{
	const struct info_fault *f = test->param_value;
	const struct virtio_gpu_capset_data *data;
	struct vgpu_fake_host_config cfg;
	struct vgpu_fake_host *host;
	unsigned int i;
	struct vgt *t;

	vgt_config_3d(&cfg);
	host = vgpu_fake_host_create_unregistered(test, &cfg);
	if (f->err)
		vgpu_fake_host_fail_next(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO, f->err);
	else
		vgpu_fake_host_misbehave(host, f->what, f->arg);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_register(host), 0);
	t = vgt_bind(test, host);

	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO),
			ARRAY_SIZE(caps));
	KUNIT_EXPECT_FALSE(test, t->vgdev->capsets[0].valid);
	for (i = 1; i < ARRAY_SIZE(caps); i++)
		KUNIT_EXPECT_TRUE(test, t->vgdev->capsets[i].valid);
	KUNIT_EXPECT_EQ(test, t->vgdev->capset_mask,
			BIT_ULL(VIRTIO_GPU_CAPSET_VIRGL2) | BIT_ULL(VGT_CAPSET_GFXSTREAM) |
			BIT_ULL(VIRTIO_GPU_CAPSET_VENUS));
	KUNIT_EXPECT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_VIRGL, 0, &data),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_VENUS, 0, &data),
			0);
}

/*
 * Capset infos the driver cannot use are ignored: an id beyond the 64 a
 * mask can hold and a capset of size zero are left out, the good one is
 * kept.
 */
static void capset_info_unusable(struct kunit *test)
{
	struct vgpu_fake_host_config cfg;
	struct vgt *t;

	vgpu_fake_host_default_config(&cfg);
	cfg.features |= VGPU_FAKE_F_VIRGL;
	cfg.num_capsets = 3;
	cfg.capsets[0] = (struct vgpu_fake_capset){ .id = 70, .max_size = 16 };
	cfg.capsets[1] = (struct vgpu_fake_capset){ .id = VIRTIO_GPU_CAPSET_VIRGL2 };
	cfg.capsets[2] = (struct vgpu_fake_capset){ .id = VIRTIO_GPU_CAPSET_DRM,
						    .max_size = 8 };
	t = vgt_create(test, &cfg);

	KUNIT_EXPECT_FALSE(test, t->vgdev->capsets[0].valid);
	KUNIT_EXPECT_FALSE(test, t->vgdev->capsets[1].valid);
	KUNIT_EXPECT_TRUE(test, t->vgdev->capsets[2].valid);
	KUNIT_EXPECT_EQ(test, t->vgdev->capset_mask, BIT_ULL(VIRTIO_GPU_CAPSET_DRM));
}

/*
 * The first request for a capset version fetches it from the host; the
 * next ones are served from the cache (the host sees one GET_CAPSET). The
 * data is the host's, the size the capset's. Another version of the same
 * capset is a separate fetch, cached as well.
 */
static void capset_get_cached(struct kunit *test)
{
	const struct virtio_gpu_capset_data *a, *b, *v1;
	struct vgt *t = vgt_create_3d(test);

	KUNIT_ASSERT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_VIRGL2, 2, &a), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_GET_CAPSET), 1);
	KUNIT_EXPECT_EQ(test, a->id, VIRTIO_GPU_CAPSET_VIRGL2);
	KUNIT_EXPECT_EQ(test, a->version, 2);
	KUNIT_ASSERT_EQ(test, a->size, 64);
	KUNIT_EXPECT_EQ(test, a->data[0], 0x02);
	KUNIT_EXPECT_EQ(test, a->data[1], 0x76);
	KUNIT_EXPECT_EQ(test, a->data[63], 0xee);

	KUNIT_ASSERT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_VIRGL2, 2, &b), 0);
	KUNIT_EXPECT_PTR_EQ(test, a, b);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_GET_CAPSET), 1);

	KUNIT_ASSERT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_VIRGL2, 1, &v1), 0);
	KUNIT_EXPECT_PTR_NE(test, a, v1);
	KUNIT_EXPECT_EQ(test, v1->version, 1);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_GET_CAPSET), 2);
	KUNIT_ASSERT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_VIRGL2, 1, &b), 0);
	KUNIT_EXPECT_PTR_EQ(test, v1, b);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_GET_CAPSET), 2);
}

/*
 * A capset id the device does not offer, or a version above the capset's
 * highest, is refused with -EINVAL without asking the host.
 */
static void capset_get_bad_args(struct kunit *test)
{
	const struct virtio_gpu_capset_data *data;
	struct vgt *t = vgt_create_3d(test);

	KUNIT_EXPECT_EQ(test, virtio_gpu_get_capset(t->vgdev, 0, 0, &data), -EINVAL);
	KUNIT_EXPECT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_DRM, 0, &data),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, virtio_gpu_get_capset(t->vgdev, 200, 0, &data), -EINVAL);
	KUNIT_EXPECT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_VIRGL2, 3, &data),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_VENUS, 1, &data),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_GET_CAPSET), 0);
}

static const struct info_fault get_faults[] = {
	{ "err-unspec", VIRTIO_GPU_RESP_ERR_UNSPEC },
	{ "err-out-of-memory", VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY },
	{ "err-invalid-parameter", VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER },
	{ "short-response", 0, VGPU_FAKE_SHORT_RESPONSE },
	{ "wrong-type", 0, VGPU_FAKE_WRONG_TYPE },
	{ "used-len-past-buffer", 0, VGPU_FAKE_LONG_USED_LEN },
	{ "used-len-u32-max", 0, VGPU_FAKE_LONG_USED_LEN, U32_MAX },
};

KUNIT_ARRAY_PARAM(get_fault, get_faults, info_fault_desc);

static int host_errno(u32 err)
{
	switch (err) {
	case VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY:
		return -ENOMEM;
	case VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER:
		return -EINVAL;
	case VIRTIO_GPU_RESP_ERR_UNSPEC:
		return -EIO;
	default:
		return -EPROTO;
	}
}

/*
 * The host fails the GET_CAPSET (error answer, or a bad response that the
 * driver counts as malformed): the error is returned and nothing is
 * cached, so the next request asks the host again and succeeds.
 */
static void capset_get_host_error(struct kunit *test)
{
	const struct info_fault *f = test->param_value;
	const struct virtio_gpu_capset_data *data = NULL;
	struct vgt *t = vgt_create_3d(test);

	if (f->err)
		vgpu_fake_host_fail_next(t->host, VIRTIO_GPU_CMD_GET_CAPSET, f->err);
	else
		vgpu_fake_host_misbehave(t->host, f->what, f->arg);
	KUNIT_EXPECT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_VIRGL, 1, &data),
			host_errno(f->err));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_GET_CAPSET), 1);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, malformed), f->err ? 0 : 1);

	KUNIT_ASSERT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_VIRGL, 1, &data),
			0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_GET_CAPSET), 2);
	KUNIT_EXPECT_EQ(test, data->data[0], 0x01);
	KUNIT_EXPECT_EQ(test, data->size, 32);
}

/* The capsets of vgt_config() other than VIRGL, at index 0. */
#define CAPS_BUT_VIRGL	(BIT_ULL(VIRTIO_GPU_CAPSET_VIRGL2) | BIT_ULL(VGT_CAPSET_GFXSTREAM) | \
			 BIT_ULL(VIRTIO_GPU_CAPSET_VENUS))

struct hostile_info {
	const char *name;
	u32 value;	/* what GET_CAPSET_INFO says of VIRGL */
	bool usable;	/* within the driver's bound */
};

static void hostile_info_desc(const struct hostile_info *h, char *desc)
{
	strscpy(desc, h->name, KUNIT_PARAM_DESC_SIZE);
}

/*
 * VIRGL's info came with a size or version @usable says the driver takes
 * or leaves out. Left out, it is in neither the capsets nor the mask, and
 * DRM_IOCTL_VIRTGPU_GET_CAPS for it is -EINVAL without asking the host;
 * kept, the ioctl fetches its data (asked for with @version). Either way
 * the other capsets work and no response was malformed.
 */
static void expect_virgl_capset(struct kunit *test, struct vu *u, bool usable,
				u32 version)
{
	const struct virtio_gpu_capset_data *data;
	struct vgt *t = u->t;
	struct file *file = vu_open(u);
	void __user *buf = vu_ualloc(u, 64);

	KUNIT_EXPECT_EQ(test, t->vgdev->num_capsets, ARRAY_SIZE(caps));
	KUNIT_EXPECT_EQ(test, t->vgdev->capsets[0].valid, usable);
	KUNIT_EXPECT_EQ(test, t->vgdev->capset_mask,
			CAPS_BUT_VIRGL | (usable ? BIT_ULL(VIRTIO_GPU_CAPSET_VIRGL) : 0));

	KUNIT_EXPECT_EQ(test, vu_get_caps(u, file, VIRTIO_GPU_CAPSET_VIRGL, version, buf, 64),
			usable ? 0 : -EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_GET_CAPSET),
			usable ? 1 : 0);
	if (usable) {
		KUNIT_ASSERT_EQ(test, virtio_gpu_get_capset(t->vgdev, VIRTIO_GPU_CAPSET_VIRGL,
							    version, &data), 0);
		KUNIT_EXPECT_EQ(test, data->data[0], 0x01);
	}

	KUNIT_EXPECT_EQ(test, vu_get_caps(u, file, VIRTIO_GPU_CAPSET_VIRGL2, 2, buf, 64), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_GET_CAPSET),
			usable ? 2 : 1);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, malformed), 0);
}

/* Sizes of the GET_CAPSET command and of its response header. */
#define GET_CAPSET_CMD	sizeof(struct virtio_gpu_get_capset)
#define CAPSET_HDR	sizeof(struct virtio_gpu_resp_capset)

static const struct hostile_info max_sizes[] = {
	{ "at-bound", VIRTIO_GPU_CAPSET_MAX_SIZE, true },
	{ "bound-plus-1", VIRTIO_GPU_CAPSET_MAX_SIZE + 1 },
	{ "1-gib", SZ_1G },
	/* Header plus data is 0 in 32 bits: no room for an answer. */
	{ "resp-wraps-to-0", U32_MAX - CAPSET_HDR + 1 },
	/* Header plus data is CAPSET_HDR - 1 in 32 bits. */
	{ "resp-wraps-to-23", U32_MAX },
	/* Command, header and data are 16 bytes in 32 bits. */
	{ "buffer-wraps-to-16", U32_MAX - GET_CAPSET_CMD - CAPSET_HDR + 17 },
};

KUNIT_ARRAY_PARAM(max_size, max_sizes, hostile_info_desc);

/*
 * A capset whose info claims more than VIRTIO_GPU_CAPSET_MAX_SIZE bytes
 * (sizes that wrap the response buffer's size included) is left out at
 * probe, so no user can have a buffer of that size sized for the host to
 * write; a capset of exactly the bound is kept.
 */
static void capset_max_size_absurd(struct kunit *test)
{
	const struct hostile_info *h = test->param_value;
	const struct virtio_gpu_capset_data *data;
	struct vgpu_fake_host_config cfg;
	struct vu *u;

	vgt_config_3d(&cfg);
	cfg.capsets[0].info_max_size = h->value;
	u = vu_create(test, &cfg);

	expect_virgl_capset(test, u, h->usable, 1);
	if (h->usable &&
	    !virtio_gpu_get_capset(u->t->vgdev, VIRTIO_GPU_CAPSET_VIRGL, 1, &data))
		KUNIT_EXPECT_EQ(test, data->size, h->value);
}

static const struct hostile_info max_versions[] = {
	{ "at-bound", VIRTIO_GPU_CAPSET_MAX_VERSION, true },
	{ "bound-plus-1", VIRTIO_GPU_CAPSET_MAX_VERSION + 1 },
	{ "u32-max", U32_MAX },
};

KUNIT_ARRAY_PARAM(max_version, max_versions, hostile_info_desc);

/*
 * A capset whose info claims a version above VIRTIO_GPU_CAPSET_MAX_VERSION
 * is left out at probe, so userspace cannot make the driver cache one copy
 * per version of billions; a capset at the bound is kept, its highest
 * version fetched.
 */
static void capset_max_version_absurd(struct kunit *test)
{
	const struct hostile_info *h = test->param_value;
	struct vgpu_fake_host_config cfg;
	struct vu *u;

	vgt_config_3d(&cfg);
	cfg.capsets[0].max_version = h->value;
	u = vu_create(test, &cfg);

	expect_virgl_capset(test, u, h->usable, h->usable ? h->value : 1);
}

static struct kunit_case capset_cases[] = {
	KUNIT_CASE(capset_info_at_probe),
	KUNIT_CASE_PARAM(capset_info_failure, info_fault_gen_params),
	KUNIT_CASE(capset_info_unusable),
	KUNIT_CASE_PARAM(capset_max_size_absurd, max_size_gen_params),
	KUNIT_CASE_PARAM(capset_max_version_absurd, max_version_gen_params),
	KUNIT_CASE(capset_get_cached),
	KUNIT_CASE(capset_get_bad_args),
	KUNIT_CASE_PARAM(capset_get_host_error, get_fault_gen_params),
	{}
};

static struct kunit_suite capset_suite = {
	.name = "virtio_gpu_capset",
	.test_cases = capset_cases,
};

kunit_test_suite(capset_suite);
