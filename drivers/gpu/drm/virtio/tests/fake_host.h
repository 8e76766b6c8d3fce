/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fake virtio-gpu device for KUnit: configuration, scripting and
 * observation interface of the host model.
 */
#ifndef VGPU_FAKE_HOST_H
#define VGPU_FAKE_HOST_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <uapi/linux/virtio_gpu.h>

struct drm_device;
struct kunit;
struct virtio_device;
struct vgpu_fake_host;

/**
 * DOC: fake virtio-gpu device
 *
 * The fake device is an in-kernel virtio transport (fake_transport.c) with a
 * model of a virtio-gpu host behind it (fake_host.c), which tests script and
 * inspect through the functions of fake_script.c. A test creates it with
 * vgpu_fake_host_create(); whatever virtio-gpu driver is built in binds to
 * it through the ordinary virtio bus, so the driver's real probe path runs.
 * The device side runs in a work item: it reads the split rings, answers
 * the control protocol and returns buffers through the used ring and
 * vring_interrupt(), as a hypervisor would.
 *
 * Fenced commands belong to a timeline: the ring (ctx_id, ring_idx) when
 * the command sets VIRTIO_GPU_FLAG_INFO_RING_IDX, else the global timeline.
 * By default every command is answered at once. A held timeline parks its
 * fenced responses until the test completes it up to some fence id; unfenced
 * commands are still answered at once, so the used ring can return buffers
 * in another order than they were submitted. Everything the test scripts is
 * applied under the model's lock, in the test thread; the device side never
 * asserts.
 */

/* Feature bits, as masks for &vgpu_fake_host_config.features. */
#define VGPU_FAKE_F_VERSION_1		BIT_ULL(VIRTIO_F_VERSION_1)
#define VGPU_FAKE_F_INDIRECT_DESC	BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC)
#define VGPU_FAKE_F_VIRGL		BIT_ULL(VIRTIO_GPU_F_VIRGL)
#define VGPU_FAKE_F_EDID		BIT_ULL(VIRTIO_GPU_F_EDID)
#define VGPU_FAKE_F_RESOURCE_UUID	BIT_ULL(VIRTIO_GPU_F_RESOURCE_UUID)
#define VGPU_FAKE_F_RESOURCE_BLOB	BIT_ULL(VIRTIO_GPU_F_RESOURCE_BLOB)
#define VGPU_FAKE_F_CONTEXT_INIT	BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT)

/* Size of the cursor queue; the control queue size is configurable. */
#define VGPU_FAKE_CURSOR_QUEUE_SIZE	16
/* Default size of the control queue. */
#define VGPU_FAKE_CTRL_QUEUE_SIZE	64
/* Most capsets a configuration can describe. */
#define VGPU_FAKE_MAX_CAPSETS		8

/**
 * struct vgpu_fake_capset - one capability set offered by the host
 * @id: capset id (VIRTIO_GPU_CAPSET_*)
 * @max_version: highest version GET_CAPSET accepts
 * @max_size: size of the capset data on the wire; the data is zero padded
 * @data: capset bytes, or NULL for all zeroes
 * @data_len: length of @data, at most @max_size bytes are used
 * @info_max_size: a fault, 0 for none: the capset_max_size GET_CAPSET_INFO
 *	reports instead of @max_size, while GET_CAPSET still answers with
 *	@max_size bytes. A real host reports the size it answers with (QEMU
 *	hw/display/virtio-gpu-virgl.c asks virglrenderer for both); this
 *	host lies.
 */
struct vgpu_fake_capset {
	u32 id;
	u32 max_version;
	u32 max_size;
	const void *data;
	size_t data_len;
	u32 info_max_size;
};

/**
 * enum vgpu_fake_event - what the driver does to the device that a test
 *	can watch (vgpu_fake_host_on())
 * @VGPU_FAKE_ON_FIND_VQS: the driver asks for virtqueues (at probe and in
 *	every reset), before they exist
 * @VGPU_FAKE_ON_RESET: the driver resets the device, before the device
 *	side forgets anything
 * @VGPU_FAKE_NUM_EVENTS: number of events
 */
enum vgpu_fake_event {
	VGPU_FAKE_ON_FIND_VQS,
	VGPU_FAKE_ON_RESET,
	VGPU_FAKE_NUM_EVENTS,
};

/**
 * enum vgpu_fake_personality - which host the fake device answers as
 * @VGPU_FAKE_HOST_SUITE: the personality the running suite chose with
 *	vgpu_fake_suite_init_qemu(), vgpu_fake_suite_init_crosvm() or
 *	vgpu_fake_suite_init_spec(); QEMU when it chose none
 * @VGPU_FAKE_HOST_QEMU: QEMU's virtio-gpu. The response to a fenced command
 *	carries VIRTIO_GPU_FLAG_FENCE, the fence id and the ctx_id of the
 *	request, and nothing else of its header: no INFO_RING_IDX and no
 *	ring_idx (hw/display/virtio-gpu.c, virtio_gpu_ctrl_response(); the same
 *	in contrib/vhost-user-gpu/vhost-user-gpu.c, vg_ctrl_response()).
 * @VGPU_FAKE_HOST_CROSVM: crosvm. The response to a fenced command echoes
 *	the request's flags, INFO_RING_IDX included, with its fence id, ctx_id
 *	and ring_idx (devices/src/virtio/gpu/mod.rs, process_descriptor(),
 *	through GpuResponse::encode() in protocol.rs).
 * @VGPU_FAKE_HOST_SPEC: the virtio-gpu specification and no more (virtio
 *	spec 1.2+, device-types/gpu/description.tex, "Device Operation:
 *	Request header"). The response to a fenced command sets
 *	VIRTIO_GPU_FLAG_FENCE and copies the fence id; the spec asks for
 *	nothing else of the header, so ctx_id, ring_idx and INFO_RING_IDX stay
 *	zero. The spec does not say when a failed fenced command is answered:
 *	this device answers it at once, as QEMU does, since the processing of
 *	a command that failed is complete.
 *
 * All three hold the response to a fenced command that succeeds until the
 * fence completed on its timeline (crosvm holds a failed one too), the
 * request's ring when it sets INFO_RING_IDX (crosvm's FenceState, QEMU's
 * fenceq with virgl; the spec's "send the response only after processing
 * is complete", and on a ring every command up to the completed fence
 * id); see vgpu_fake_host_hold(). Unfenced commands are
 * answered at once, which the spec allows.
 */
enum vgpu_fake_personality {
	VGPU_FAKE_HOST_SUITE,
	VGPU_FAKE_HOST_QEMU,
	VGPU_FAKE_HOST_CROSVM,
	VGPU_FAKE_HOST_SPEC,
};

/**
 * struct vgpu_fake_host_config - what the fake device offers
 * @features: offered device features, VGPU_FAKE_F_* masks
 * @num_scanouts: scanouts in the device config, each enabled at 1024x768
 * @num_capsets: entries used in @capsets
 * @capsets: the capability sets, in GET_CAPSET_INFO index order
 * @ctrl_queue_size: size of the control queue (a power of two), 0 for
 *	VGPU_FAKE_CTRL_QUEUE_SIZE
 * @truncate_fence_ids: answer with fence ids cut to their low 32 bits
 *	(as hosts with 32-bit fence ids do)
 * @personality: the host (a real one, or the spec) whose answers the device
 *	copies
 */
struct vgpu_fake_host_config {
	u64 features;
	u32 num_scanouts;
	u32 num_capsets;
	struct vgpu_fake_capset capsets[VGPU_FAKE_MAX_CAPSETS];
	u32 ctrl_queue_size;
	bool truncate_fence_ids;
	enum vgpu_fake_personality personality;
};

/**
 * struct vgpu_fake_tl - names one fence timeline of the host
 * @global: the global timeline (fenced commands without INFO_RING_IDX)
 * @ctx_id: context of a ring timeline
 * @ring_idx: ring of a ring timeline
 *
 * Build one with VGPU_FAKE_GLOBAL or VGPU_FAKE_RING().
 */
struct vgpu_fake_tl {
	bool global;
	u32 ctx_id;
	u8 ring_idx;
};

/* The global fence timeline. */
#define VGPU_FAKE_GLOBAL ((struct vgpu_fake_tl){ .global = true })
/* The fence timeline of ring @ring of context @ctx. */
#define VGPU_FAKE_RING(ctx, ring) \
	((struct vgpu_fake_tl){ .ctx_id = (ctx), .ring_idx = (ring) })

/**
 * enum vgpu_fake_misbehaviour - a fault injected into the next response
 * @VGPU_FAKE_SHORT_RESPONSE: used length smaller than a ctrl_hdr
 * @VGPU_FAKE_WRONG_TYPE: a response type that does not fit the command
 * @VGPU_FAKE_BAD_RING_IDX: an out-of-range ring_idx (with INFO_RING_IDX)
 * @VGPU_FAKE_FUTURE_FENCE: a fence id the driver has not emitted yet
 * @VGPU_FAKE_REWRITE_FENCE: the fence id replaced by a given value
 * @VGPU_FAKE_OTHER_RING: INFO_RING_IDX with a given ring_idx, a ring of the
 *	same context other than the request's
 * @VGPU_FAKE_DROP_FENCE_FLAG: VIRTIO_GPU_FLAG_FENCE cleared
 * @VGPU_FAKE_UNFENCED_WITH_FENCE: an answer to an unfenced command that
 *	carries VIRTIO_GPU_FLAG_FENCE with a given fence id
 * @VGPU_FAKE_LONG_USED_LEN: the used ring entry claims more bytes than the
 *	device-writable buffer holds, while the response written is the true
 *	one: @arg bytes, 0 for one more than the buffer. A real host puts the
 *	bytes it wrote in the used ring (QEMU hw/display/virtio-gpu.c,
 *	virtio_gpu_ctrl_response()); this one lies.
 * @VGPU_FAKE_SET_TYPE: the response type replaced by @arg
 * @VGPU_FAKE_SET_USED_LEN: the used ring entry claims exactly @arg bytes,
 *	0 included, while the response written is the true one (the lie of
 *	%VGPU_FAKE_LONG_USED_LEN, in any direction)
 * @VGPU_FAKE_SET_CTX_ID: the ctx_id replaced by @arg
 * @VGPU_FAKE_SET_RING: ring_idx replaced by the low 8 bits of @arg, and
 *	VIRTIO_GPU_FLAG_INFO_RING_IDX set when @arg has
 *	%VGPU_FAKE_SET_RING_FLAG, cleared otherwise
 *
 * These are faults, not the behaviour of any host. The fault applies to
 * the next response the device returns to the driver; the fence faults
 * (%VGPU_FAKE_BAD_RING_IDX, %VGPU_FAKE_FUTURE_FENCE,
 * %VGPU_FAKE_REWRITE_FENCE, %VGPU_FAKE_OTHER_RING and
 * %VGPU_FAKE_DROP_FENCE_FLAG) to the next one that carries
 * VIRTIO_GPU_FLAG_FENCE, and %VGPU_FAKE_UNFENCED_WITH_FENCE to the next one
 * that does not. Whatever the fault, the device writes no more than the
 * response into the driver's buffer.
 */
enum vgpu_fake_misbehaviour {
	VGPU_FAKE_SHORT_RESPONSE,
	VGPU_FAKE_WRONG_TYPE,
	VGPU_FAKE_BAD_RING_IDX,
	VGPU_FAKE_FUTURE_FENCE,
	VGPU_FAKE_REWRITE_FENCE,
	VGPU_FAKE_OTHER_RING,
	VGPU_FAKE_DROP_FENCE_FLAG,
	VGPU_FAKE_UNFENCED_WITH_FENCE,
	VGPU_FAKE_LONG_USED_LEN,
	VGPU_FAKE_SET_TYPE,
	VGPU_FAKE_SET_USED_LEN,
	VGPU_FAKE_SET_CTX_ID,
	VGPU_FAKE_SET_RING,
};

/* In the argument of %VGPU_FAKE_SET_RING: set VIRTIO_GPU_FLAG_INFO_RING_IDX. */
#define VGPU_FAKE_SET_RING_FLAG		BIT_ULL(8)

/**
 * enum vgpu_fake_hostile_knob - what a hostile host corrupts in a response
 * @VGPU_FAKE_HOSTILE_TYPE: the response type: a random OK_* or ERR_* type,
 *	or garbage
 * @VGPU_FAKE_HOSTILE_USED_LEN: the length the used ring entry claims: 0, 1,
 *	less than a header, more than the driver's buffer, or close to
 *	U32_MAX; the bytes written stay the true response
 * @VGPU_FAKE_HOSTILE_FENCE_FLAG: VIRTIO_GPU_FLAG_FENCE flipped: cleared in
 *	the answer to a fenced command, set (with a fence id as for
 *	%VGPU_FAKE_HOSTILE_FENCE_ID) in the answer to an unfenced one
 * @VGPU_FAKE_HOSTILE_FENCE_ID: the fence id of a fenced answer: 0, the
 *	request's plus or minus a little, one of 2^32 or more, or U64_MAX
 * @VGPU_FAKE_HOSTILE_CTX_ID: the ctx_id: 0, the request's plus or minus a
 *	little, or random
 * @VGPU_FAKE_HOSTILE_RING: VIRTIO_GPU_FLAG_INFO_RING_IDX set or cleared,
 *	ring_idx anything from 0 to 255
 * @VGPU_FAKE_HOSTILE_BODY: 32-bit words of the payload after the header
 *	(capset ids, sizes and versions, display modes, EDID, capset data)
 *	replaced by 0, U32_MAX, powers of two and their neighbours, or random
 *	values; at least one word when the payload has any
 * @VGPU_FAKE_HOSTILE_ALL: every knob
 *
 * Masks for &vgpu_fake_hostile.knobs. Like &enum vgpu_fake_misbehaviour,
 * faults, not the behaviour of any host.
 */
enum vgpu_fake_hostile_knob {
	VGPU_FAKE_HOSTILE_TYPE		= BIT(0),
	VGPU_FAKE_HOSTILE_USED_LEN	= BIT(1),
	VGPU_FAKE_HOSTILE_FENCE_FLAG	= BIT(2),
	VGPU_FAKE_HOSTILE_FENCE_ID	= BIT(3),
	VGPU_FAKE_HOSTILE_CTX_ID	= BIT(4),
	VGPU_FAKE_HOSTILE_RING		= BIT(5),
	VGPU_FAKE_HOSTILE_BODY		= BIT(6),
	VGPU_FAKE_HOSTILE_ALL		= GENMASK(6, 0),
};

/**
 * struct vgpu_fake_hostile - a seeded hostile host
 * @seed: seed of the PRNG that makes every choice, so that a seed replays
 *	the same corruptions of the same sequence of responses
 * @knobs: &enum vgpu_fake_hostile_knob masks; a corrupted response gets
 *	each knob of the mask with even odds, and at least one
 * @rate_pct: percentage of the responses corrupted, 0 to 100
 */
struct vgpu_fake_hostile {
	u64 seed;
	u32 knobs;
	u32 rate_pct;
};

/**
 * enum vgpu_fake_res_kind - how a resource was created
 * @VGPU_FAKE_RES_2D: RESOURCE_CREATE_2D
 * @VGPU_FAKE_RES_3D: RESOURCE_CREATE_3D
 * @VGPU_FAKE_RES_BLOB: RESOURCE_CREATE_BLOB
 */
enum vgpu_fake_res_kind {
	VGPU_FAKE_RES_2D,
	VGPU_FAKE_RES_3D,
	VGPU_FAKE_RES_BLOB,
};

/**
 * struct vgpu_fake_ctx_info - state of a host context
 * @ctx_id: context id
 * @capset_id: capset id from context_init (0 without context init)
 * @context_init: the raw context_init word
 * @debug_name: debug name from CTX_CREATE, NUL terminated
 * @num_attached: resources attached to the context
 * @submits: SUBMIT_3D commands executed in the context
 */
struct vgpu_fake_ctx_info {
	u32 ctx_id;
	u32 capset_id;
	u32 context_init;
	char debug_name[65];
	u32 num_attached;
	u32 submits;
};

/**
 * struct vgpu_fake_res_info - state of a host resource
 * @res_id: resource id
 * @kind: how it was created
 * @format: format (2D and 3D)
 * @width: width (2D and 3D)
 * @height: height (2D and 3D)
 * @blob_mem: VIRTIO_GPU_BLOB_MEM_* (blob)
 * @blob_flags: VIRTIO_GPU_BLOB_FLAG_* (blob)
 * @blob_id: blob id (blob)
 * @size: blob size (blob)
 * @backing_entries: mem entries attached, 0 without backing
 * @backing_bytes: total length of the attached mem entries
 * @has_uuid: RESOURCE_ASSIGN_UUID was answered for it
 * @transfers_to_host: TRANSFER_TO_HOST_2D/3D executed on it
 * @transfers_from_host: TRANSFER_FROM_HOST_3D executed on it
 */
struct vgpu_fake_res_info {
	u32 res_id;
	enum vgpu_fake_res_kind kind;
	u32 format;
	u32 width;
	u32 height;
	u32 blob_mem;
	u32 blob_flags;
	u64 blob_id;
	u64 size;
	u32 backing_entries;
	u64 backing_bytes;
	bool has_uuid;
	u32 transfers_to_host;
	u32 transfers_from_host;
};

void vgpu_fake_host_default_config(struct vgpu_fake_host_config *cfg);
int vgpu_fake_suite_init_qemu(struct kunit *test);
int vgpu_fake_suite_init_crosvm(struct kunit *test);
int vgpu_fake_suite_init_spec(struct kunit *test);

/**
 * VGPU_FAKE_SUITES - register a suite once per host personality
 * @var: prefix of the three &struct kunit_suite variables
 * @suite_name: the suite name under QEMU; crosvm and the spec get "_crosvm"
 *	and "_spec" appended
 * @cases: the test cases, shared by the three suites
 *
 * Every case of @cases runs against a fake device answering as QEMU, as
 * crosvm and as the virtio spec requires (enum vgpu_fake_personality).
 */
#define VGPU_FAKE_SUITES(var, suite_name, cases)					\
	static struct kunit_suite var##_qemu = {				\
		.name = suite_name,						\
		.init = vgpu_fake_suite_init_qemu,				\
		.test_cases = cases,						\
	};									\
	static struct kunit_suite var##_crosvm = {				\
		.name = suite_name "_crosvm",						\
		.init = vgpu_fake_suite_init_crosvm,				\
		.test_cases = cases,						\
	};									\
	static struct kunit_suite var##_spec = {				\
		.name = suite_name "_spec",						\
		.init = vgpu_fake_suite_init_spec,				\
		.test_cases = cases,						\
	};									\
	kunit_test_suites(&var##_qemu, &var##_crosvm, &var##_spec)
enum vgpu_fake_personality vgpu_fake_host_personality(struct vgpu_fake_host *host);
struct vgpu_fake_host *
vgpu_fake_host_create(struct kunit *test,
		      const struct vgpu_fake_host_config *cfg);
struct vgpu_fake_host *
vgpu_fake_host_create_unregistered(struct kunit *test,
				   const struct vgpu_fake_host_config *cfg);
int vgpu_fake_host_register(struct vgpu_fake_host *host);

bool vgpu_fake_host_bound(struct vgpu_fake_host *host);
struct drm_device *vgpu_fake_host_drm(struct vgpu_fake_host *host);
struct virtio_device *vgpu_fake_host_vdev(struct vgpu_fake_host *host);
struct vgpu_fake_host *vgpu_fake_host_of(struct virtio_device *vdev);
u8 vgpu_fake_host_status(struct vgpu_fake_host *host);
u64 vgpu_fake_host_driver_features(struct vgpu_fake_host *host);
unsigned int vgpu_fake_host_live_vqs(struct vgpu_fake_host *host);

bool vgpu_fake_host_sync(struct vgpu_fake_host *host);
bool vgpu_fake_host_wait_cmds(struct vgpu_fake_host *host, u32 type,
			      unsigned int count);

void vgpu_fake_host_hold(struct vgpu_fake_host *host, struct vgpu_fake_tl tl);
unsigned int vgpu_fake_host_complete(struct vgpu_fake_host *host,
				     struct vgpu_fake_tl tl, u64 fence_id);
unsigned int vgpu_fake_host_release(struct vgpu_fake_host *host,
				    struct vgpu_fake_tl tl);
unsigned int vgpu_fake_host_release_all(struct vgpu_fake_host *host);
void vgpu_fake_host_hold_queue(struct vgpu_fake_host *host);
void vgpu_fake_host_release_queue(struct vgpu_fake_host *host);
void vgpu_fake_host_reset(struct vgpu_fake_host *host);
void vgpu_fake_host_on(struct vgpu_fake_host *host, enum vgpu_fake_event event,
		       void (*fn)(void *data), void *data);
void vgpu_fake_host_fail_next(struct vgpu_fake_host *host, u32 type,
			      u32 err_type);
void vgpu_fake_host_misbehave(struct vgpu_fake_host *host,
			      enum vgpu_fake_misbehaviour what, u64 arg);
void vgpu_fake_host_hostile(struct vgpu_fake_host *host,
			    const struct vgpu_fake_hostile *h);
unsigned int vgpu_fake_host_corrupted(struct vgpu_fake_host *host);

unsigned int vgpu_fake_host_cmd_count(struct vgpu_fake_host *host, u32 type);
size_t vgpu_fake_host_last_cmd(struct vgpu_fake_host *host, u32 type,
			       void *buf, size_t len);
unsigned int vgpu_fake_host_num_contexts(struct vgpu_fake_host *host);
bool vgpu_fake_host_get_ctx(struct vgpu_fake_host *host, u32 ctx_id,
			    struct vgpu_fake_ctx_info *info);
unsigned int vgpu_fake_host_num_resources(struct vgpu_fake_host *host);
bool vgpu_fake_host_get_res(struct vgpu_fake_host *host, u32 res_id,
			    struct vgpu_fake_res_info *info);
unsigned int vgpu_fake_host_parked(struct vgpu_fake_host *host,
				   struct vgpu_fake_tl tl);
unsigned int vgpu_fake_host_parked_ids(struct vgpu_fake_host *host,
				       struct vgpu_fake_tl tl, u64 *ids,
				       unsigned int max);
u64 vgpu_fake_host_last_fence(struct vgpu_fake_host *host,
			      struct vgpu_fake_tl tl);
unsigned int vgpu_fake_host_responses(struct vgpu_fake_host *host,
				      u32 resp_type);
/* Start value of vgpu_fake_hash_more(). */
#define VGPU_FAKE_HASH_INIT	0xcbf29ce484222325ull

u64 vgpu_fake_hash_more(u64 h, const void *data, size_t len);
u64 vgpu_fake_hash(const void *data, size_t len);
u64 vgpu_fake_host_last_cmd_hash(struct vgpu_fake_host *host, u32 type,
				 size_t *len);
unsigned int vgpu_fake_host_last_cmd_pieces(struct vgpu_fake_host *host, u32 type);
unsigned int vgpu_fake_host_dma_faults(struct vgpu_fake_host *host);

#endif /* VGPU_FAKE_HOST_H */
