// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_context_init, and its crosvm twin: how a
 * file sets up its host context, with CONTEXT_INIT or lazily on first use.
 */

#include <kunit/test.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "vgpu_uapi.h"

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

static const struct vu_dev q_no_ctx_init_devs[] = {
	{ "2d", VU_F_2D, false },
	{ "virgl-no-ctx-init", VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_VIRGL, true },
	{ "ctx-init-no-virgl", VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_CONTEXT_INIT, true },
};

KUNIT_ARRAY_PARAM_DESC(q_no_ctx_init_devs, q_no_ctx_init_devs, desc);

/* Without CONTEXT_INIT (or without 3D) the ioctl is -EINVAL. */
static void virtio_gpu_context_init_no_feature(struct kunit *test)
{
	struct vu *u = vu_create_dev(test, test->param_value);
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

VGPU_FAKE_SUITES(q_ci_suite, "virtio_gpu_uapi_context_init", q_ci_cases);
