import com.sun.tools.attach.VirtualMachine;

/** Loads a native agent into a running JVM with options intact (jcmd JVMTI.agent_load splits them at '='). */
public class AgentLoad {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java AgentLoad.java <pid> <agent.so> <options>");
            System.exit(2);
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
