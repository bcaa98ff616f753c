package io.bricksllm.admin;

/** One admin operation. Runs on a worker thread, so it may block on the database. */
@FunctionalInterface
public interface AdminHandler {
    AdminReply handle(AdminRequest request);
}
