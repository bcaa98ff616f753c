package io.bricksllm.limits;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A Lua script run by its SHA-1 ({@code EVALSHA}), sent whole ({@code EVAL}) only when Redis does not know it yet. */
record LuaScript(String name, String source, String sha1) {

    static LuaScript of(String name, String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return new LuaScript(name, source, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JVM", e);
        }
    }

    Request evalsha(List<String> keys, List<String> args) {
        return request(Request.cmd(Command.EVALSHA).arg(sha1), keys, args);
    }

    Request eval(List<String> keys, List<String> args) {
        return request(Request.cmd(Command.EVAL).arg(source), keys, args);
    }

    private static Request request(Request r, List<String> keys, List<String> args) {
        r.arg(keys.size());
        keys.forEach(r::arg);
        args.forEach(r::arg);
        return r;
    }
}
