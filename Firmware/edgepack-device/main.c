// C entry point of the device program: Embedded Swift has no CommandLine, so argv is handed
// to the Swift side here.
int edgepack_device_main(int argc, char **argv);

int main(int argc, char **argv) { return edgepack_device_main(argc, argv); }
