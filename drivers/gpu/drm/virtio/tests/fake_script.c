// SPDX-License-Identifier: GPL-2.0
/*
 * Fake virtio-gpu device for KUnit: the API tests use to script the fake
 * host and look at what it saw.
 *
 * Holds, completes and releases fence timelines, holds the control queue,
 * arms failures and misbehaviour, sets the seeded hostile mode, waits for
 * the device side, and reports the commands, contexts, resources and
 * parked responses the host model (fake_host.c) keeps.
 */

#include <kunit/test.h>
#include <linux/minmax.h>
#include <linux/prandom.h>
#include <linux/string.h>

#include "fake_priv.h"

/* How long the waiting helpers wait before giving up. */
#define VGPU_FAKE_WAIT		(5 * HZ)

/**
 * vgpu_fake_host_personality() - the host a fake device answers as
 * @host: the fake device
 *
 * Never %VGPU_FAKE_HOST_SUITE: a device created under that personality
 * takes the running suite's when it is created.
 *
 * Return: %VGPU_FAKE_HOST_QEMU, %VGPU_FAKE_HOST_CROSVM or
 * %VGPU_FAKE_HOST_SPEC.
 */
enum vgpu_fake_personality vgpu_fake_host_personality(struct vgpu_fake_host *host)
{
	return host->cfg.personality;
}

/**
 * vgpu_fake_host_bound() - whether a driver is bound to the fake device
 * @host: the fake device
 *
 * A driver whose probe failed is not bound, even if it left vdev->priv set.
 *
 * Return: true when a virtio driver's probe succeeded and it is bound.
 */
bool vgpu_fake_host_bound(struct vgpu_fake_host *host)
{
	return host->registered && READ_ONCE(host->vdev.dev.driver);
}

/**
 * vgpu_fake_host_drm() - the DRM device of the bound driver
 * @host: the fake device
 *
 * Both the base tree's virtio-gpu driver and the new one keep their
 * &struct drm_device in vdev->priv.
 *
 * Return: that device, or NULL when no driver is bound. The driver owns it.
 */
struct drm_device *vgpu_fake_host_drm(struct vgpu_fake_host *host)
{
	return vgpu_fake_host_bound(host) ? host->vdev.priv : NULL;
}

/**
 * vgpu_fake_host_vdev() - the virtio device of the fake
 * @host: the fake device
 *
 * Return: the virtio device, owned by @host.
 */
struct virtio_device *vgpu_fake_host_vdev(struct vgpu_fake_host *host)
{
	return &host->vdev;
}

/**
 * vgpu_fake_host_of() - the fake device behind a virtio device
 * @vdev: a virtio device of vgpu_fake_host_create()
 *
 * Return: its fake device.
 */
struct vgpu_fake_host *vgpu_fake_host_of(struct virtio_device *vdev)
{
	return to_vgpu_fake_host(vdev);
}

/**
 * vgpu_fake_host_status() - device status as last written by the driver
 * @host: the fake device
 *
 * Return: VIRTIO_CONFIG_S_* bits; 0 after a reset.
 */
u8 vgpu_fake_host_status(struct vgpu_fake_host *host)
{
	u8 status;

	mutex_lock(&host->lock);
	status = host->status;
	mutex_unlock(&host->lock);
	return status;
}

/**
 * vgpu_fake_host_driver_features() - features the driver accepted
 * @host: the fake device
 *
 * Return: the negotiated feature bits (VGPU_FAKE_F_* masks).
 */
u64 vgpu_fake_host_driver_features(struct vgpu_fake_host *host)
{
	u64 features;

	mutex_lock(&host->lock);
	features = host->driver_features;
	mutex_unlock(&host->lock);
	return features;
}

/**
 * vgpu_fake_host_live_vqs() - number of virtqueues the driver set up
 * @host: the fake device
 *
 * Return: queues created by find_vqs and not yet deleted.
 */
unsigned int vgpu_fake_host_live_vqs(struct vgpu_fake_host *host)
{
	unsigned int i, n = 0;

	mutex_lock(&host->lock);
	for (i = 0; i < VGPU_FAKE_NUM_VQS; i++)
		n += !!host->vqs[i].vq;
	mutex_unlock(&host->lock);
	return n;
}

/**
 * vgpu_fake_host_sync() - wait until the device side caught up
 * @host: the fake device
 *
 * Waits (at most five seconds) until the device side has taken and
 * executed every buffer the driver made available before the call (parked
 * responses stay parked; a held control queue is not served). Does not
 * wait for the driver to process the responses.
 *
 * Return: true on success, false on timeout; assert on it in the test.
 */
bool vgpu_fake_host_sync(struct vgpu_fake_host *host)
{
	unsigned long target;

	if (!host->wq)
		return true;
	mutex_lock(&host->lock);
	target = ++host->sync_req;
	mutex_unlock(&host->lock);
	queue_work(host->wq, &host->work);
	return wait_event_timeout(host->wait,
				  READ_ONCE(host->sync_done) >= target,
				  VGPU_FAKE_WAIT) > 0;
}

/**
 * vgpu_fake_host_wait_cmds() - wait until the host received some commands
 * @host: the fake device
 * @type: a VIRTIO_GPU_CMD_* type
 * @count: how many commands of @type in total
 *
 * For drivers that submit from another thread: waits (at most five
 * seconds) until @count commands of @type were executed since creation.
 *
 * Return: true when they were, false on timeout.
 */
bool vgpu_fake_host_wait_cmds(struct vgpu_fake_host *host, u32 type,
			      unsigned int count)
{
	unsigned int slot = vgpu_fake_slot(type);

	return wait_event_timeout(host->wait,
				  READ_ONCE(host->counts[slot]) >= count,
				  VGPU_FAKE_WAIT) > 0;
}

/**
 * vgpu_fake_host_hold() - park the fenced responses of a timeline
 * @host: the fake device
 * @tl: VGPU_FAKE_GLOBAL or VGPU_FAKE_RING(ctx, ring)
 *
 * From now on fenced commands of @tl are executed but their responses are
 * kept until vgpu_fake_host_complete() or vgpu_fake_host_release(). The
 * timeline need not have been used yet.
 */
void vgpu_fake_host_hold(struct vgpu_fake_host *host, struct vgpu_fake_tl tl)
{
	struct vgpu_fake_timeline *t;

	mutex_lock(&host->lock);
	t = vgpu_fake_tl_get(host, tl, true);
	if (t)
		t->held = true;
	mutex_unlock(&host->lock);
	KUNIT_ASSERT_NOT_NULL(host->test, t);
}

static unsigned int vgpu_fake_complete_locked(struct vgpu_fake_host *host,
					      struct vgpu_fake_timeline *t,
					      u64 fence_id, bool all)
{
	struct vgpu_fake_req *req, *n;
	unsigned int done = 0;

	list_for_each_entry_safe(req, n, &t->parked, link) {
		if (!all && req->fence_id > fence_id)
			break;
		list_del(&req->link);
		t->num_parked--;
		vgpu_fake_deliver(host, req);
		done++;
	}
	vgpu_fake_transport_interrupt(host);
	return done;
}

/**
 * vgpu_fake_host_complete() - complete a held timeline up to a fence id
 * @host: the fake device
 * @tl: the timeline
 * @fence_id: last fence id to complete
 *
 * Returns the parked responses of @tl in submission order, up to the first
 * one with a fence id above @fence_id, and interrupts the driver once. The
 * timeline stays held.
 *
 * Return: the number of responses returned.
 */
unsigned int vgpu_fake_host_complete(struct vgpu_fake_host *host,
				     struct vgpu_fake_tl tl, u64 fence_id)
{
	struct vgpu_fake_timeline *t;
	unsigned int done = 0;

	mutex_lock(&host->lock);
	t = vgpu_fake_tl_get(host, tl, false);
	if (t)
		done = vgpu_fake_complete_locked(host, t, fence_id, false);
	mutex_unlock(&host->lock);
	return done;
}

/**
 * vgpu_fake_host_release() - stop holding a timeline
 * @host: the fake device
 * @tl: the timeline
 *
 * Returns every parked response of @tl in order; later fenced commands of
 * @tl are answered at once again.
 *
 * Return: the number of responses returned.
 */
unsigned int vgpu_fake_host_release(struct vgpu_fake_host *host,
				    struct vgpu_fake_tl tl)
{
	struct vgpu_fake_timeline *t;
	unsigned int done = 0;

	mutex_lock(&host->lock);
	t = vgpu_fake_tl_get(host, tl, false);
	if (t) {
		t->held = false;
		done = vgpu_fake_complete_locked(host, t, 0, true);
	}
	mutex_unlock(&host->lock);
	return done;
}

/**
 * vgpu_fake_host_release_all() - stop holding every timeline
 * @host: the fake device
 *
 * vgpu_fake_host_release() on each timeline held or with parked answers.
 *
 * Return: how many parked answers went to the driver.
 */
unsigned int vgpu_fake_host_release_all(struct vgpu_fake_host *host)
{
	struct vgpu_fake_timeline *t;
	unsigned int done = 0;

	mutex_lock(&host->lock);
	list_for_each_entry(t, &host->timelines, link) {
		t->held = false;
		done += vgpu_fake_complete_locked(host, t, 0, true);
	}
	mutex_unlock(&host->lock);
	return done;
}

/**
 * vgpu_fake_host_hold_queue() - stop serving the control queue
 * @host: the fake device
 *
 * The device takes nothing from the control queue until
 * vgpu_fake_host_release_queue(), so the driver's queue fills up.
 */
void vgpu_fake_host_hold_queue(struct vgpu_fake_host *host)
{
	mutex_lock(&host->lock);
	host->queue_held = true;
	mutex_unlock(&host->lock);
}

static void vgpu_fake_host_set_hook(struct vgpu_fake_host *host,
				    enum vgpu_fake_event event,
				    void (*fn)(void *data), void *data)
{
	mutex_lock(&host->lock);
	host->hooks[event].fn = fn;
	host->hooks[event].data = data;
	mutex_unlock(&host->lock);
}

static void vgpu_fake_host_clear_hooks(void *data)
{
	struct vgpu_fake_host *host = data;
	unsigned int i;

	for (i = 0; i < VGPU_FAKE_NUM_EVENTS; i++)
		vgpu_fake_host_set_hook(host, i, NULL, NULL);
}

/**
 * vgpu_fake_host_on() - watch the driver do something to the device
 * @host: the fake device
 * @event: what to watch
 * @fn: called in the driver's context, without the device lock, when
 *	@event happens; NULL removes the hook
 * @data: argument of @fn, which must live until the test ends (every hook
 *	is removed when it does, even after a failed assertion)
 *
 * Lets a test see, or change, the driver's state at a moment it cannot
 * reach otherwise: which fences a reset has ended by the time it
 * allocates new virtqueues, say, or what a command sent while the device
 * is being reset becomes.
 */
void vgpu_fake_host_on(struct vgpu_fake_host *host, enum vgpu_fake_event event,
		       void (*fn)(void *data), void *data)
{
	KUNIT_ASSERT_LT(host->test, event, VGPU_FAKE_NUM_EVENTS);
	vgpu_fake_host_set_hook(host, event, fn, data);
	if (fn)
		KUNIT_ASSERT_EQ(host->test,
				kunit_add_action_or_reset(host->test,
							  vgpu_fake_host_clear_hooks,
							  host), 0);
}

/**
 * vgpu_fake_host_event() - run the test's hook of an event, if any
 * @host: the fake device, its lock not held
 * @event: what the driver is doing
 */
void vgpu_fake_host_event(struct vgpu_fake_host *host, enum vgpu_fake_event event)
{
	void (*fn)(void *data);
	void *data;

	mutex_lock(&host->lock);
	fn = host->hooks[event].fn;
	data = host->hooks[event].data;
	mutex_unlock(&host->lock);
	if (fn)
		fn(data);
}

/**
 * vgpu_fake_host_release_queue() - serve the control queue again
 * @host: the fake device
 *
 * Everything the driver queued meanwhile is taken in order (asynchronously:
 * use vgpu_fake_host_sync() to wait for it).
 */
void vgpu_fake_host_release_queue(struct vgpu_fake_host *host)
{
	mutex_lock(&host->lock);
	host->queue_held = false;
	mutex_unlock(&host->lock);
	if (host->wq)
		queue_work(host->wq, &host->work);
}

/**
 * vgpu_fake_host_reset() - make the device lose everything in flight
 * @host: the fake device
 *
 * As a virtio reset does: parked responses and buffers waiting in a held
 * control queue are dropped and never returned, and armed faults are
 * disarmed. Timeline holds and the hostile mode stay as scripted; the rings
 * stay usable for new commands. The driver is not told.
 */
void vgpu_fake_host_reset(struct vgpu_fake_host *host)
{
	struct vgpu_fake_vq *fq = &host->vqs[VGPU_FAKE_CTRLQ];

	mutex_lock(&host->lock);
	vgpu_fake_host_drop_pending(host);
	if (fq->vq) {
		struct vring *vr = vgpu_fake_vring(fq->vq);

		fq->last_avail = virtio16_to_cpu(&host->vdev,
						 READ_ONCE(vr->avail->idx));
	}
	host->queue_held = false;
	host->fail_err = 0;
	host->bad_next = -1;
	mutex_unlock(&host->lock);
}

/**
 * vgpu_fake_host_fail_next() - fail the next command with an error
 * @host: the fake device
 * @type: VIRTIO_GPU_CMD_* type the failure waits for, 0 for any command
 * @err_type: the VIRTIO_GPU_RESP_ERR_* response to give
 *
 * The command is not executed. Its response still echoes the fence fields
 * and is completed on its timeline like any other.
 */
void vgpu_fake_host_fail_next(struct vgpu_fake_host *host, u32 type,
			      u32 err_type)
{
	mutex_lock(&host->lock);
	host->fail_type = type;
	host->fail_err = err_type;
	mutex_unlock(&host->lock);
}

/**
 * vgpu_fake_host_misbehave() - corrupt the next response
 * @host: the fake device
 * @what: the fault
 * @arg: the fence id for VGPU_FAKE_REWRITE_FENCE; the distance beyond the
 *	newest fence id for VGPU_FAKE_FUTURE_FENCE (0: 1000); the used length
 *	for VGPU_FAKE_LONG_USED_LEN (0: one byte more than the buffer) and
 *	VGPU_FAKE_SET_USED_LEN; the ring for VGPU_FAKE_OTHER_RING and
 *	VGPU_FAKE_SET_RING; the fence id for VGPU_FAKE_UNFENCED_WITH_FENCE;
 *	the new field for VGPU_FAKE_SET_TYPE and VGPU_FAKE_SET_CTX_ID; unused
 *	otherwise
 *
 * See &enum vgpu_fake_misbehaviour. One fault is armed at a time; the
 * hostile mode (vgpu_fake_host_hostile()) corrupts the response further.
 */
void vgpu_fake_host_misbehave(struct vgpu_fake_host *host,
			      enum vgpu_fake_misbehaviour what, u64 arg)
{
	mutex_lock(&host->lock);
	host->bad_next = what;
	host->bad_arg = arg;
	mutex_unlock(&host->lock);
}

/**
 * vgpu_fake_host_hostile() - corrupt a seeded fraction of the responses
 * @host: the fake device
 * @h: the mode, copied; NULL turns the mode off
 *
 * From now on each response the device returns to the driver is corrupted
 * with a probability of @h->rate_pct percent (above 100 counts as 100),
 * after any fault armed with vgpu_fake_host_misbehave(): each knob of
 * @h->knobs is applied with even odds, at least one (see &enum
 * vgpu_fake_hostile_knob). Every choice comes from a PRNG seeded with
 * @h->seed, so a seed replays the same corruptions of the same sequence of
 * responses. Only the response's bytes and the used length the used ring
 * claims change: the device never writes more than the response, nor
 * beyond the buffer the driver gave. Parked responses are corrupted when
 * they are returned, not when they are parked, so corruption never changes
 * which timeline holds an answer.
 *
 * The mode lasts until turned off, across vgpu_fake_host_reset() and
 * device resets. Setting a mode restarts vgpu_fake_host_corrupted()'s
 * count; turning it off keeps it.
 */
void vgpu_fake_host_hostile(struct vgpu_fake_host *host,
			    const struct vgpu_fake_hostile *h)
{
	mutex_lock(&host->lock);
	if (h) {
		host->hostile = *h;
		host->hostile.rate_pct = min(h->rate_pct, 100u);
		prandom_seed_state(&host->hostile_rnd, h->seed);
		host->corrupted = 0;
	} else {
		host->hostile.knobs = 0;
	}
	mutex_unlock(&host->lock);
}

/**
 * vgpu_fake_host_corrupted() - responses the hostile mode corrupted
 * @host: the fake device
 *
 * A response counts once, however many knobs hit it; one that was picked
 * but had nothing a knob could change (a fence id knob on an unfenced
 * answer, say) does not count. A rewrite may by chance leave a field as
 * it was.
 *
 * Return: how many responses the mode corrupted since it was last set.
 */
unsigned int vgpu_fake_host_corrupted(struct vgpu_fake_host *host)
{
	unsigned int n;

	mutex_lock(&host->lock);
	n = host->corrupted;
	mutex_unlock(&host->lock);
	return n;
}

/**
 * vgpu_fake_host_cmd_count() - commands of a type received
 * @host: the fake device
 * @type: a VIRTIO_GPU_CMD_* type
 *
 * Return: how many commands of @type the device took from its queues.
 */
unsigned int vgpu_fake_host_cmd_count(struct vgpu_fake_host *host, u32 type)
{
	unsigned int n;

	mutex_lock(&host->lock);
	n = host->counts[vgpu_fake_slot(type)];
	mutex_unlock(&host->lock);
	return n;
}

/**
 * vgpu_fake_host_last_cmd() - copy of the last command of a type
 * @host: the fake device
 * @type: a VIRTIO_GPU_CMD_* type
 * @buf: where to copy, owned by the caller
 * @len: size of @buf
 *
 * Copies the start of the driver-readable part (the command and what
 * follows it, at most 512 bytes kept).
 *
 * Return: bytes copied, 0 when no such command was received.
 */
size_t vgpu_fake_host_last_cmd(struct vgpu_fake_host *host, u32 type,
			       void *buf, size_t len)
{
	unsigned int slot = vgpu_fake_slot(type);

	mutex_lock(&host->lock);
	len = min(len, host->last_cmd_len[slot]);
	if (host->last_cmd[slot])
		memcpy(buf, host->last_cmd[slot], len);
	else
		len = 0;
	mutex_unlock(&host->lock);
	return len;
}

/**
 * vgpu_fake_host_num_contexts() - number of live host contexts
 * @host: the fake device
 *
 * Return: contexts created and not destroyed.
 */
unsigned int vgpu_fake_host_num_contexts(struct vgpu_fake_host *host)
{
	unsigned int n;

	mutex_lock(&host->lock);
	n = list_count_nodes(&host->contexts);
	mutex_unlock(&host->lock);
	return n;
}

/**
 * vgpu_fake_host_get_ctx() - state of a host context
 * @host: the fake device
 * @ctx_id: context id
 * @info: filled in when the context exists; owned by the caller
 *
 * Return: true when the context exists.
 */
bool vgpu_fake_host_get_ctx(struct vgpu_fake_host *host, u32 ctx_id,
			    struct vgpu_fake_ctx_info *info)
{
	struct vgpu_fake_ctx *ctx;

	mutex_lock(&host->lock);
	ctx = vgpu_fake_ctx_find(host, ctx_id);
	if (ctx && info)
		*info = ctx->info;
	mutex_unlock(&host->lock);
	return ctx;
}

/**
 * vgpu_fake_host_num_resources() - number of live host resources
 * @host: the fake device
 *
 * Return: resources created and not unreferenced.
 */
unsigned int vgpu_fake_host_num_resources(struct vgpu_fake_host *host)
{
	unsigned int n;

	mutex_lock(&host->lock);
	n = list_count_nodes(&host->resources);
	mutex_unlock(&host->lock);
	return n;
}

/**
 * vgpu_fake_host_get_res() - state of a host resource
 * @host: the fake device
 * @res_id: resource id
 * @info: filled in when the resource exists; owned by the caller
 *
 * Return: true when the resource exists.
 */
bool vgpu_fake_host_get_res(struct vgpu_fake_host *host, u32 res_id,
			    struct vgpu_fake_res_info *info)
{
	struct vgpu_fake_res *res;

	mutex_lock(&host->lock);
	res = vgpu_fake_res_find(host, res_id);
	if (res && info)
		*info = res->info;
	mutex_unlock(&host->lock);
	return res;
}

/**
 * vgpu_fake_host_parked() - responses parked on a timeline
 * @host: the fake device
 * @tl: the timeline
 *
 * Return: the number of fenced responses @tl holds back.
 */
unsigned int vgpu_fake_host_parked(struct vgpu_fake_host *host,
				   struct vgpu_fake_tl tl)
{
	struct vgpu_fake_timeline *t;
	unsigned int n = 0;

	mutex_lock(&host->lock);
	t = vgpu_fake_tl_get(host, tl, false);
	if (t)
		n = t->num_parked;
	mutex_unlock(&host->lock);
	return n;
}

/**
 * vgpu_fake_host_parked_ids() - fence ids of the responses a timeline holds
 * @host: the fake device
 * @tl: the timeline
 * @ids: filled with the fence ids, oldest first
 * @max: room in @ids
 *
 * Return: the number of ids written, at most @max.
 */
unsigned int vgpu_fake_host_parked_ids(struct vgpu_fake_host *host,
				       struct vgpu_fake_tl tl, u64 *ids,
				       unsigned int max)
{
	struct vgpu_fake_timeline *t;
	struct vgpu_fake_req *req;
	unsigned int n = 0;

	mutex_lock(&host->lock);
	t = vgpu_fake_tl_get(host, tl, false);
	if (t) {
		list_for_each_entry(req, &t->parked, link) {
			if (n == max)
				break;
			ids[n++] = req->fence_id;
		}
	}
	mutex_unlock(&host->lock);
	return n;
}

/**
 * vgpu_fake_host_last_fence() - last fence id received on a timeline
 * @host: the fake device
 * @tl: the timeline
 *
 * Return: the fence id of the newest fenced command of @tl, 0 if none.
 */
u64 vgpu_fake_host_last_fence(struct vgpu_fake_host *host,
			      struct vgpu_fake_tl tl)
{
	struct vgpu_fake_timeline *t;
	u64 id = 0;

	mutex_lock(&host->lock);
	t = vgpu_fake_tl_get(host, tl, false);
	if (t)
		id = t->last_seen;
	mutex_unlock(&host->lock);
	return id;
}

/**
 * vgpu_fake_host_responses() - responses of a type returned
 * @host: the fake device
 * @resp_type: a VIRTIO_GPU_RESP_* type
 *
 * Return: how many responses of @resp_type reached the used ring (after
 * fault injection).
 */
unsigned int vgpu_fake_host_responses(struct vgpu_fake_host *host,
				      u32 resp_type)
{
	unsigned int n = 0, group = resp_type >> 8;

	mutex_lock(&host->lock);
	if ((group == 0x11 || group == 0x12) && (resp_type & 0xff) < 16)
		n = host->resp_counts[group - 0x11][resp_type & 0xf];
	mutex_unlock(&host->lock);
	return n;
}

/**
 * vgpu_fake_host_last_cmd_hash() - what the device read of the last command
 * @host: the fake device
 * @type: VIRTIO_GPU_CMD_* type
 * @len: set to the bytes the device read (command and payload)
 *
 * Return: a 64-bit FNV-1a hash of those bytes, 0 with *@len = 0 when no
 * command of @type came.
 */
u64 vgpu_fake_host_last_cmd_hash(struct vgpu_fake_host *host, u32 type,
				 size_t *len)
{
	unsigned int slot = vgpu_fake_slot(type);
	u64 hash;

	mutex_lock(&host->lock);
	*len = host->counts[slot] ? host->last_out_len[slot] : 0;
	hash = host->counts[slot] ? host->last_hash[slot] : 0;
	mutex_unlock(&host->lock);
	return hash;
}

/**
 * vgpu_fake_host_last_cmd_pieces() - descriptors of the last command
 * @host: the fake device
 * @type: VIRTIO_GPU_CMD_* type
 *
 * Return: how many driver-readable descriptors (command and payload) the
 * last command of @type came in, 0 when none came.
 */
unsigned int vgpu_fake_host_last_cmd_pieces(struct vgpu_fake_host *host, u32 type)
{
	unsigned int slot = vgpu_fake_slot(type), n;

	mutex_lock(&host->lock);
	n = host->counts[slot] ? host->last_pieces[slot] : 0;
	mutex_unlock(&host->lock);
	return n;
}

/**
 * vgpu_fake_host_dma_faults() - descriptors the device could not follow
 * @host: the fake device
 *
 * A descriptor naming memory that is not guest RAM (see fake_transport.c)
 * makes the device refuse its chain; the test fails when the device goes
 * away with any counted.
 *
 * Return: how many the device refused.
 */
unsigned int vgpu_fake_host_dma_faults(struct vgpu_fake_host *host)
{
	unsigned int n;

	mutex_lock(&host->lock);
	n = host->dma_faults;
	mutex_unlock(&host->lock);
	return n;
}
