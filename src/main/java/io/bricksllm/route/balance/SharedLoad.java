package io.bricksllm.route.balance;

/**
 * Requests in flight at the other instances of a scale-out deployment, per target of a group, for least-busy. Calls
 * never wait on anything: {@link #elsewhere} reads what was last seen, {@link #started}/{@link #ended} publish in the
 * background. {@link #NONE} (one instance, or no Redis) sees no other instance.
 */
public interface SharedLoad {
    /** An attempt at target {@code index} of group {@code group} (a stable name of the group and its targets) begins. */
    void started(String group, int index);

    /** One of this instance's attempts at that target ended. */
    void ended(String group, int index);

    /** Requests in flight at the target on other instances, as last seen; 0 when unknown (Redis down). */
    int elsewhere(String group, int index, int targets);

    SharedLoad NONE = new SharedLoad() {
        @Override
        public void started(String group, int index) {}

        @Override
        public void ended(String group, int index) {}

        @Override
        public int elsewhere(String group, int index, int targets) {
            return 0;
        }
    };
}
