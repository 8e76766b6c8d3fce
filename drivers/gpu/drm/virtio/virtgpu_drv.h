/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * virtio-gpu: what the driver's files share.
 *
 * The device core (virtgpu_drv.c) negotiates features, reads the config and
 * caches capsets. virtgpu_vq.c turns commands into virtqueue buffers and
 * responses into errnos. virtgpu_fence.c keeps one timeline per fence
 * context: the global one, and one per ring of every 3D context.
 */
#ifndef _VIRTGPU_DRV_H_
#define _VIRTGPU_DRV_H_

#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/gpu_scheduler.h>

#include <uapi/drm/virtgpu_drm.h>
#include <uapi/linux/virtio_gpu.h>

#define VIRTIO_GPU_DRIVER_NAME	"virtio_gpu"

/* Capset ids are below 64 (the CONTEXT_INIT capset mask is a u64). */
#define VIRTIO_GPU_MAX_CAPSETS	64
/* Rings per context: ring_idx is a u8 on the wire, the UAPI allows 64. */
#define VIRTIO_GPU_MAX_RINGS	64

/*
 * Largest capset a host may announce. Real capsets are small: virgl's v2
 * caps, the largest, take a few KiB, Venus and DRM capsets some dozen
 * bytes. A bigger size is a broken or hostile host, and the capset is
 * ignored: the GET_CAPSET response buffer is sized from it.
 */
#define VIRTIO_GPU_CAPSET_MAX_SIZE	SZ_64K
/*
 * Highest capset version a host may announce. Capsets in use are at
 * versions 0 to 2. Each version is cached apart, so the bound also limits
 * what userspace can make the driver cache.
 */
#define VIRTIO_GPU_CAPSET_MAX_VERSION	31
/*
 * Most bytes of command and response one &struct virtio_gpu_vbuf holds.
 * Commands are fixed structs (payloads travel in &virtio_gpu_vbuf.data);
 * the largest response is a capset after its header.
 */
#define VIRTIO_GPU_VBUF_MAX_SIZE	(VIRTIO_GPU_CAPSET_MAX_SIZE + SZ_4K)

struct drm_mode_create_dumb;
struct virtio_gpu_device;
struct virtio_gpu_vbuf;

/**
 * struct virtio_gpu_timeline - one fence context and its unsignalled fences
 * @ref: held by the device (or the 3D context) and by every fence
 * @lock: the lock of every fence on the timeline; protects @pending
 * @pending: emitted, unsignalled fences, in id order
 * @context: the dma-fence context
 * @ctx_id: the 3D context the ring belongs to; 0 for the global timeline
 * @ring_idx: the ring within @ctx_id
 * @ring: fences carry VIRTIO_GPU_FLAG_INFO_RING_IDX
 * @name: timeline name of the fences
 */
struct virtio_gpu_timeline {
	struct kref ref;
	spinlock_t lock; /* fences of the timeline, @pending */
	struct list_head pending;
	u64 context;
	u32 ctx_id;
	u32 ring_idx;
	bool ring;
	char name[32];
};

/**
 * struct virtio_gpu_fence - a fence completed by the host
 * @base: the dma-fence; its seqno is the fence id
 * @tl: the timeline, referenced
 * @node: link in &virtio_gpu_timeline.pending once emitted
 * @emitted: the fence went to the host
 * @host_done: the host is done with the command (or it never reached the
 *	host); the fence signals once the fences before it did
 * @host_error: the error of a @host_done fence
 */
struct virtio_gpu_fence {
	struct dma_fence base;
	struct virtio_gpu_timeline *tl;
	struct list_head node;
	bool emitted;
	bool host_done;
	int host_error;
};

/**
 * struct virtio_gpu_fence_stats - answers the driver did not take as sent
 * @stale: answers to fences that had signalled already (covered by the
 *	answer to a later fence, or cancelled)
 * @malformed: answers rejected as malformed, or claiming a fence for a
 *	command that had none
 * @mismatch: answers to fenced commands whose fence flag, fence id,
 *	ctx_id or ring fields disagree with the request (counted, never
 *	followed)
 */
struct virtio_gpu_fence_stats {
	atomic_t stale;
	atomic_t malformed;
	atomic_t mismatch;
};

/**
 * struct virtio_gpu_ring_set - the ring timelines of one 3D context
 * @ctx_id: the context
 * @num_rings: entries in @rings
 * @rcu: frees the set after readers are gone
 * @rings: the timelines, context of ring i = context of ring 0 + i
 */
struct virtio_gpu_ring_set {
	u32 ctx_id;
	u32 num_rings;
	struct rcu_head rcu;
	struct virtio_gpu_timeline *rings[] __counted_by(num_rings);
};

/**
 * struct virtio_gpu_fence_driver - all timelines of a device
 * @last_id: last fence id handed out; ids come from this one device-wide
 * counter under the control queue lock, so queue order is id order
 * @global: the timeline of fences without a ring
 * @ring_sets: &virtio_gpu_ring_set by 3D context id
 * @stats: refused completions
 */
struct virtio_gpu_fence_driver {
	u64 last_id;
	struct virtio_gpu_timeline *global;
	struct xarray ring_sets;
	struct virtio_gpu_fence_stats stats;
};

/**
 * struct virtio_gpu_queue - a virtqueue and its bookkeeping
 * @vq: the virtqueue
 * @lock: serialises adding buffers, taking used ones and @dead
 * @space: waited on by submitters when @vq is full
 * @dequeue: processes used buffers in process context
 * @pending: buffers queued and not yet notified to the device
 * @dead: the device is gone or being reset: nothing more is queued
 * @halted: @dead, and the device is reset: the host touches no guest
 *	memory any more
 * @stopping: a timeout is about to reset the device: run_job() no longer
 *	waits for room (virtio_gpu_ctrl_stop_if_hung())
 * @refused: buffers with a callback refused while @dead but not yet
 *	@halted; they end with the halt, once the host cannot use what their
 *	callbacks free
 */
struct virtio_gpu_queue {
	struct virtqueue *vq;
	spinlock_t lock; /* @vq, @pending, @dead, @halted, @stopping, @refused */
	wait_queue_head_t space;
	struct work_struct dequeue;
	unsigned int pending;
	bool dead;
	bool halted;
	bool stopping;
	struct list_head refused;
};

/**
 * struct virtio_gpu_halted - the buffers a halted device gave back
 * @answered: buffers the host answered before the halt
 * @lost: buffers the host never answered
 */
struct virtio_gpu_halted {
	struct list_head answered;
	struct list_head lost;
};

/**
 * struct virtio_gpu_capset - a capset the device offers
 * @id: capset id
 * @max_version: highest version the host knows
 * @max_size: largest data size of a version
 * @valid: the info query succeeded
 */
struct virtio_gpu_capset {
	u32 id;
	u32 max_version;
	u32 max_size;
	bool valid;
};

/**
 * struct virtio_gpu_capset_data - a capset version fetched from the host
 * @link: in &virtio_gpu_device.capset_cache
 * @id: capset id
 * @version: capset version
 * @size: bytes in @data
 * @data: the capset contents
 */
struct virtio_gpu_capset_data {
	struct list_head link;
	u32 id;
	u32 version;
	u32 size;
	u8 data[] __counted_by(size);
};

/**
 * struct virtio_gpu_object - a GEM object backed by a host resource
 * @base: the shmem GEM object (its pages are the guest backing, if any)
 * @hw_res_handle: the host resource id
 * @virgl: created with RESOURCE_CREATE_3D for a 3D context
 * @blob: created with RESOURCE_CREATE_BLOB
 * @blob_mem: VIRTGPU_BLOB_MEM_* of a blob
 * @blob_flags: VIRTGPU_BLOB_FLAG_* of a blob
 * @blob_id: host blob id of a host3d blob
 * @width: width in pixels of a 2D or 3D resource, 0 for a blob
 * @height: height in pixels of a 2D or 3D resource, 0 for a blob
 * @guest_backed: guest pages are attached as backing
 * @uuid_assigned: the host gave the resource a UUID
 * @sgt: the pages given to the host, while attached
 * @dma_mapped: @sgt is mapped for the device's DMA
 * @generation: device generation the host resource was created in; a
 *	device reset loses it (virtio_gpu_object_lost())
 */
struct virtio_gpu_object {
	struct drm_gem_shmem_object base;
	u32 hw_res_handle;
	bool virgl;
	bool blob;
	u32 blob_mem;
	u32 blob_flags;
	u64 blob_id;
	u32 width;
	u32 height;
	bool guest_backed;
	bool uuid_assigned;
	struct sg_table *sgt;
	bool dma_mapped;
	u32 generation;
};

static inline struct virtio_gpu_object *to_virtio_gpu_obj(struct drm_gem_object *obj)
{
	return container_of(obj, struct virtio_gpu_object, base.base);
}

/**
 * struct virtio_gpu_object_params - what a new object is made of
 * @size: bytes of guest backing (page aligned by the driver)
 * @virgl: a 3D resource (RESOURCE_CREATE_3D)
 * @ctx_id: 3D context the resource is created in, 0 for none
 * @format: VIRTIO_GPU_FORMAT_* (2D) or a virgl format
 * @width: width in pixels
 * @height: height in pixels
 * @target: 3D target
 * @bind: 3D bind flags
 * @depth: 3D depth
 * @array_size: 3D array size
 * @last_level: 3D last mip level
 * @nr_samples: 3D sample count
 * @flags: 3D resource flags
 * @blob: a blob resource
 * @blob_mem: VIRTGPU_BLOB_MEM_*
 * @blob_flags: VIRTGPU_BLOB_FLAG_*
 * @blob_id: host blob id
 */
struct virtio_gpu_object_params {
	u64 size;
	bool virgl;
	u32 ctx_id;
	u32 format;
	u32 width;
	u32 height;
	u32 target;
	u32 bind;
	u32 depth;
	u32 array_size;
	u32 last_level;
	u32 nr_samples;
	u32 flags;
	bool blob;
	u32 blob_mem;
	u32 blob_flags;
	u64 blob_id;
};

/**
 * struct virtio_gpu_ring_sched - one ring of a context: a scheduler and the
 * file's entity on it
 * @sched: the scheduler; its hardware fences live on the ring's timeline
 * @entity: the only entity of @sched
 * @ring_idx: the ring
 * @ready: @sched and @entity are initialised
 * @reset_link: in &virtio_gpu_device.reset_list while a timeout stopped
 * @sched and the device reset has not restarted it yet
 * @dying: the ring is torn down; a timeout no longer puts it on the reset
 * list (protected by &virtio_gpu_device.reset_list_lock)
 */
struct virtio_gpu_ring_sched {
	struct drm_gpu_scheduler sched;
	struct drm_sched_entity entity;
	u32 ring_idx;
	bool ready;
	struct list_head reset_link;
	bool dying;
};

/**
 * struct virtio_gpu_job - one EXECBUFFER submission
 * @base: the scheduler job
 * @vgdev: the device
 * @vbuf: the SUBMIT_3D command, prepared at submission time so that
 * run_job does not allocate; it owns the command stream
 * @hw_fence: the virtio fence emitted with @vbuf, on the ring's timeline
 * @generation: device generation of the host context the job was written
 *	for; after a reset the job is cancelled instead of run
 */
struct virtio_gpu_job {
	struct drm_sched_job base;
	struct virtio_gpu_device *vgdev;
	struct virtio_gpu_vbuf *vbuf;
	struct virtio_gpu_fence *hw_fence;
	u32 generation;
};

/**
 * struct virtio_gpu_fpriv - per-file state: the file's 3D context
 * @vgdev: the device
 * @ctx_id: host context id of the file, unique per device
 * @lock: serialises context creation and initialisation
 * @created_generation: device generation the host context was created in;
 * 0 when it was not created (a device reset loses host contexts)
 * @context_init: CONTEXT_INIT was done (successfully)
 * @capset_id: capset id given to CONTEXT_INIT, 0 for none
 * @num_rings: rings given to CONTEXT_INIT
 * @poll_rings_mask: rings whose fences produce DRM events
 * @explicit_name: @debug_name was set by userspace
 * @debug_name: name of the host context
 * @rings: @num_rings schedulers
 * @global_entity: the file's entity on the device's global scheduler
 * @global_entity_ready: @global_entity is initialised
 */
struct virtio_gpu_fpriv {
	struct virtio_gpu_device *vgdev;
	u32 ctx_id;
	struct mutex lock; /* context creation and initialisation */
	u32 created_generation;
	bool context_init;
	u32 capset_id;
	u32 num_rings;
	u64 poll_rings_mask;
	bool explicit_name;
	char debug_name[64];
	struct virtio_gpu_ring_sched *rings;
	struct drm_sched_entity global_entity;
	bool global_entity_ready;
};

/**
 * struct virtio_gpu_device - one virtio-gpu device
 * @ddev: the DRM device
 * @vdev: the virtio device
 * @ctrlq: the control queue
 * @cursorq: the cursor queue
 * @fence_drv: fence timelines
 * @has_virgl_3d: VIRTIO_GPU_F_VIRGL negotiated
 * @has_edid: VIRTIO_GPU_F_EDID negotiated
 * @has_resource_uuid: VIRTIO_GPU_F_RESOURCE_UUID negotiated
 * @has_resource_blob: VIRTIO_GPU_F_RESOURCE_BLOB negotiated
 * @has_context_init: VIRTIO_GPU_F_CONTEXT_INIT negotiated
 * @has_indirect: VIRTIO_RING_F_INDIRECT_DESC negotiated
 * @ctrlq_size: entries of the control queue, the longest chain it takes
 * @num_scanouts: from the device config
 * @num_capsets: from the device config
 * @capsets: what the device said of each capset index
 * @capset_mask: bit n set when capset id n is valid
 * @capset_lock: protects @capset_cache
 * @capset_cache: &virtio_gpu_capset_data fetched so far
 * @resource_ida: host resource ids
 * @ctx_ida: host context ids
 * @sched_wq: ordered workqueue of every scheduler of the device
 * @global_sched: scheduler of submissions without a ring
 * @global_sched_ready: @global_sched is initialised
 * @job_timeout: jiffies a submission may take before the device is reset
 * @reset_work: resets the device after a timeout, outside the scheduler's
 * fence signalling section (a reset allocates memory)
 * @reset_list_lock: protects @reset_list, @global_stopped and
 *	@stopped_for_good, and orders the writes of @unplugged
 * @reset_list: ring schedulers a timeout stopped, to restart after the reset
 * @global_stopped: a timeout stopped @global_sched
 * @reset_lock: serialises device resets
 * @resetting: a device reset is bringing the virtqueues back
 * @reset_done: woken when @resetting clears (virtio_gpu_reset_wait())
 * @generation: bumped by every device reset; host contexts and resources
 * of an older generation are gone
 * @devres_group: the devres group of the DRM device on the parent device
 * @vqs_live: the virtqueues exist
 * @unplugged: the device was removed; new fences fail at once
 * @stopped_for_good: removal stopped the device and ended its fences
 */
struct virtio_gpu_device {
	struct drm_device ddev;
	struct virtio_device *vdev;

	struct virtio_gpu_queue ctrlq;
	struct virtio_gpu_queue cursorq;
	struct virtio_gpu_fence_driver fence_drv;

	bool has_virgl_3d;
	bool has_edid;
	bool has_resource_uuid;
	bool has_resource_blob;
	bool has_context_init;
	bool has_indirect;
	u32 ctrlq_size;

	u32 num_scanouts;
	u32 num_capsets;
	struct virtio_gpu_capset *capsets;
	u64 capset_mask;

	struct mutex capset_lock; /* @capset_cache */
	struct list_head capset_cache;

	struct ida resource_ida;
	struct ida ctx_ida;
	struct workqueue_struct *sched_wq;
	struct drm_gpu_scheduler global_sched;
	bool global_sched_ready;
	long job_timeout;
	struct work_struct reset_work;
	spinlock_t reset_list_lock; /* @reset_list, @global_stopped, @stopped_for_good */
	struct list_head reset_list;
	bool global_stopped;
	struct mutex reset_lock; /* one device reset at a time */
	bool resetting;
	wait_queue_head_t reset_done;
	atomic_t generation;
	void *devres_group;

	bool vqs_live;
	bool unplugged;
	bool stopped_for_good;
};

static inline struct virtio_gpu_device *to_virtio_gpu(struct drm_device *ddev)
{
	return container_of(ddev, struct virtio_gpu_device, ddev);
}

/**
 * typedef virtio_gpu_resp_cb - called in process context with a response
 * @vgdev: the device
 * @vbuf: the buffer; its response and &virtio_gpu_vbuf.error are valid
 */
typedef void (*virtio_gpu_resp_cb)(struct virtio_gpu_device *vgdev,
				   struct virtio_gpu_vbuf *vbuf);

/**
 * struct virtio_gpu_vbuf - one command on its way to the host and back
 * @ref: one for the queue, one for a synchronous waiter
 * @cmd: the command, starting with a &struct virtio_gpu_ctrl_hdr
 * @cmd_size: bytes in @cmd
 * @data: optional payload sent after the command
 * @data_size: bytes in @data
 * @data_owned: @data is kvfree()d with the buffer
 * @data_sgt: the pieces of a vmalloc'ed @data (virtio_gpu_vbuf_set_data())
 * @resp: room for the response
 * @resp_size: bytes in @resp
 * @resp_len: bytes the host wrote, at most @resp_size once the response
 * was handled
 * @resp_type: the success response the command expects, VIRTIO_GPU_RESP_OK_*
 * @fence: fence emitted with the command, referenced, or NULL
 * @resp_cb: optional callback when the response arrived
 * @cb_data: for @resp_cb
 * @from_run_job: sent by a scheduler's run_job(): gives up instead of
 *	waiting for room once a timeout stops the queue
 * @done: completed when the response arrived or the device went away
 * @error: 0, the errno of an error response, -EPROTO for a malformed one,
 * -ENODEV when the device went away
 * @link: on the dequeue worker's list
 * @buf: storage of @cmd and @resp
 */
struct virtio_gpu_vbuf {
	struct kref ref;
	void *cmd;
	u32 cmd_size;
	const void *data;
	u32 data_size;
	bool data_owned;
	struct sg_table data_sgt;
	void *resp;
	u32 resp_size;
	u32 resp_len;
	u32 resp_type;
	struct virtio_gpu_fence *fence;
	virtio_gpu_resp_cb resp_cb;
	void *cb_data;
	bool from_run_job;
	struct completion done;
	int error;
	struct list_head link;
	u8 buf[] __aligned(8);
};

/* virtgpu_drv.c */
int virtio_gpu_get_capset(struct virtio_gpu_device *vgdev, u32 id, u32 version,
			  const struct virtio_gpu_capset_data **out);

/* virtgpu_reset.c */
int virtio_gpu_device_start(struct virtio_gpu_device *vgdev);
void virtio_gpu_device_stop(struct virtio_gpu_device *vgdev);
void virtio_gpu_device_unplug(struct virtio_gpu_device *vgdev);
int virtio_gpu_device_reset(struct virtio_gpu_device *vgdev);
void virtio_gpu_reset_init(struct virtio_gpu_device *vgdev);
void virtio_gpu_reset_work(struct work_struct *work);
void virtio_gpu_reset_after_timeout(struct virtio_gpu_device *vgdev,
				    struct drm_gpu_scheduler *sched);
void virtio_gpu_reset_forget_ring(struct virtio_gpu_device *vgdev,
				  struct virtio_gpu_ring_sched *ring);
int virtio_gpu_reset_wait(struct virtio_gpu_device *vgdev);

/* virtgpu_vq.c */
struct virtio_gpu_vbuf *virtio_gpu_vbuf_alloc(u32 cmd_size, u32 resp_size);
struct virtio_gpu_vbuf *virtio_gpu_cmd_new(u32 type, u32 ctx_id, u32 cmd_size,
					   u32 resp_size);
int virtio_gpu_vbuf_set_data(struct virtio_gpu_device *vgdev,
			     struct virtio_gpu_vbuf *vbuf, const void *data,
			     u32 size, bool owned);
void virtio_gpu_vbuf_put(struct virtio_gpu_vbuf *vbuf);
int virtio_gpu_queue_ctrl(struct virtio_gpu_device *vgdev,
			  struct virtio_gpu_vbuf *vbuf);
int virtio_gpu_queue_cursor(struct virtio_gpu_device *vgdev,
			    struct virtio_gpu_vbuf *vbuf);
void virtio_gpu_notify(struct virtio_gpu_device *vgdev);
int virtio_gpu_cmd_queue(struct virtio_gpu_device *vgdev,
			 struct virtio_gpu_vbuf *vbuf,
			 struct virtio_gpu_fence *fence);
int virtio_gpu_cmd_send(struct virtio_gpu_device *vgdev,
			struct virtio_gpu_vbuf *vbuf,
			struct virtio_gpu_fence *fence);
int virtio_gpu_wait_vbuf(struct virtio_gpu_vbuf *vbuf, long timeout);
int virtio_gpu_cmd_sync(struct virtio_gpu_device *vgdev,
			struct virtio_gpu_vbuf *vbuf);
int virtio_gpu_resp_to_errno(u32 type);
void virtio_gpu_ctrl_ack(struct virtqueue *vq);
void virtio_gpu_cursor_ack(struct virtqueue *vq);
void virtio_gpu_queue_init(struct virtio_gpu_queue *q, work_func_t dequeue);
void virtio_gpu_ctrl_dequeue(struct work_struct *work);
void virtio_gpu_cursor_dequeue(struct work_struct *work);
bool virtio_gpu_ctrl_stop_if_hung(struct virtio_gpu_device *vgdev,
				  struct dma_fence *fence);
void virtio_gpu_halted_init(struct virtio_gpu_halted *halted);
void virtio_gpu_queues_halt(struct virtio_gpu_device *vgdev,
			    struct virtio_gpu_halted *halted);
void virtio_gpu_queues_end_fences(struct virtio_gpu_device *vgdev,
				  struct virtio_gpu_halted *halted);
void virtio_gpu_queues_finish(struct virtio_gpu_device *vgdev,
			      struct virtio_gpu_halted *halted);
void virtio_gpu_queues_revive(struct virtio_gpu_device *vgdev);
int virtio_gpu_cmd_ctx_create(struct virtio_gpu_device *vgdev, u32 ctx_id,
			      u32 context_init, const char *name,
			      struct virtio_gpu_fence *fence);
int virtio_gpu_cmd_ctx_destroy(struct virtio_gpu_device *vgdev, u32 ctx_id);
int virtio_gpu_cmd_submit_3d(struct virtio_gpu_device *vgdev, u32 ctx_id,
			     const void *data, u32 size,
			     struct virtio_gpu_fence *fence);

/* virtgpu_object.c */
struct drm_gem_object *virtio_gpu_create_object(struct drm_device *dev, size_t size);
int virtio_gpu_object_create(struct virtio_gpu_device *vgdev,
			     const struct virtio_gpu_object_params *params,
			     struct virtio_gpu_object **out,
			     struct virtio_gpu_fence *fence);
int virtio_gpu_cmd_transfer_to_host(struct virtio_gpu_device *vgdev,
				    struct virtio_gpu_object *bo, u32 ctx_id,
				    const struct drm_virtgpu_3d_box *box, u64 offset,
				    u32 level, u32 stride, u32 layer_stride,
				    struct virtio_gpu_fence *fence);
int virtio_gpu_cmd_transfer_from_host(struct virtio_gpu_device *vgdev,
				      struct virtio_gpu_object *bo, u32 ctx_id,
				      const struct drm_virtgpu_3d_box *box, u64 offset,
				      u32 level, u32 stride, u32 layer_stride,
				      struct virtio_gpu_fence *fence);
int virtio_gpu_cmd_ctx_resource(struct virtio_gpu_device *vgdev, u32 ctx_id,
				u32 res_id, bool attach);
int virtio_gpu_object_fence(struct virtio_gpu_object *bo,
			    struct virtio_gpu_fence *fence);
int virtio_gpu_object_lost(struct virtio_gpu_object *bo);

/* virtgpu_context.c */
int virtio_gpu_driver_open(struct drm_device *dev, struct drm_file *file);
void virtio_gpu_driver_postclose(struct drm_device *dev, struct drm_file *file);
int virtio_gpu_context_ensure(struct virtio_gpu_fpriv *vfpriv);
int virtio_gpu_context_init_locked(struct virtio_gpu_fpriv *vfpriv, u32 capset_id,
				   u32 num_rings, u64 poll_mask);
int virtio_gpu_sched_init(struct virtio_gpu_device *vgdev);
void virtio_gpu_sched_fini(struct virtio_gpu_device *vgdev);
struct drm_sched_entity *virtio_gpu_entity(struct virtio_gpu_fpriv *vfpriv,
					   bool ring, u32 ring_idx);

/* virtgpu_ioctl.c: the table is indexed by DRM_VIRTGPU_* numbers */
#define VIRTIO_GPU_NUM_IOCTLS	(DRM_VIRTGPU_CONTEXT_INIT + 1)
extern const struct drm_ioctl_desc virtio_gpu_ioctls[VIRTIO_GPU_NUM_IOCTLS];
int virtio_gpu_dumb_create(struct drm_file *file, struct drm_device *dev,
			   struct drm_mode_create_dumb *args);

/* virtgpu_submit.c */
extern const struct drm_sched_backend_ops virtio_gpu_sched_ops;
int virtio_gpu_execbuffer_ioctl(struct drm_device *dev, void *data,
				struct drm_file *file);

/* virtgpu_fence.c */
int virtio_gpu_fence_driver_init(struct virtio_gpu_device *vgdev);
void virtio_gpu_fence_driver_fini(struct virtio_gpu_device *vgdev);
void virtio_gpu_fence_driver_release(struct virtio_gpu_device *vgdev);
struct virtio_gpu_timeline *virtio_gpu_timeline_get(struct virtio_gpu_device *vgdev,
						    u32 ctx_id, u32 ring_idx);
void virtio_gpu_timeline_put(struct virtio_gpu_timeline *tl);
int virtio_gpu_rings_create(struct virtio_gpu_device *vgdev, u32 ctx_id,
			    u32 num_rings);
void virtio_gpu_rings_destroy(struct virtio_gpu_device *vgdev, u32 ctx_id);
void virtio_gpu_timeline_wait_idle(struct virtio_gpu_device *vgdev, u32 ctx_id,
				   u32 ring_idx);
struct virtio_gpu_fence *virtio_gpu_fence_alloc(struct virtio_gpu_device *vgdev,
						u32 ctx_id, u32 ring_idx);
void virtio_gpu_fence_put(struct virtio_gpu_fence *fence);
void virtio_gpu_fence_emit(struct virtio_gpu_device *vgdev,
			   struct virtio_gpu_ctrl_hdr *hdr,
			   struct virtio_gpu_fence *fence);
void virtio_gpu_fence_fail(struct virtio_gpu_fence *fence, int error);
void virtio_gpu_fence_complete(struct virtio_gpu_device *vgdev,
			       struct virtio_gpu_fence *fence,
			       const struct virtio_gpu_ctrl_hdr *req,
			       const struct virtio_gpu_ctrl_hdr *resp,
			       int error);
void virtio_gpu_fence_cancel_all(struct virtio_gpu_device *vgdev, int error);
bool virtio_gpu_is_fence(struct dma_fence *f);

#endif /* _VIRTGPU_DRV_H_ */
