package io.bricksllm.admin;

/** A group of admin endpoints; each feature contributes one. */
public interface AdminResource {
    void register(AdminServer.Routes routes);
}
