/* SPDX-License-Identifier: MIT */
// closed_loop.cpp: a 1 kHz real-time control loop in C++ around a trained
// nn4n network loaded from an .npz file, reporting its latency distribution.
//
//   closed_loop MODEL.npz [ticks]
//
// If MODEL.npz does not exist, a controller is first trained through the C
// ABI and saved there (float32, 32 tanh units, taught the law
// force = tanh(kp·error − kd·velocity) on random plant states); then the
// program does what a simulator or robot host does: load the file, set one
// library thread (nn4n_set_num_threads(1), see "Real-time hosts" in
// nn4n.h), and run a periodic loop (clock_nanosleep to absolute 1 ms
// deadlines, timer slack 1 ns) in which every tick reads the plant (a point mass with
// friction, simulated in real time), runs one network step with float32 I/O
// (nn4n_model_step_f32) and applies the output as the force.
//
// It prints, for the `ticks` ticks (default 2000 = 2 s): the wake-up
// lateness (deadline → thread running), the step's compute time, the
// deadline → command latency, each as p50 / p90 / p99 / p99.9 / max in µs,
// and the ticks whose command came after the next deadline. It exits 0 when
// the arm reached the target (distance < 10 % of the initial one), 2 if not.
//
// Build against an installed nn4n (examples/cpp/Makefile):
//   c++ -std=c++17 closed_loop.cpp $(pkg-config --cflags --libs nn4n) -o closed_loop
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <nn4n.h>

namespace {

constexpr int kIn = 2, kHid = 32, kOut = 1;
constexpr double kp = 2.0, kd = 0.6;           // the control law the network learns
constexpr double gain = 10.0, friction = 0.5;  // plant: dv/dt = gain·force − friction·v
constexpr long periodNs = 1000000;             // 1 kHz

void check(int32_t status, const char* what) {
	if (status != NN4N_OK) {
		char msg[512];
		nn4n_last_error(msg, static_cast<int64_t>(sizeof msg));
		std::fprintf(stderr, "closed_loop: %s: %s: %s\n", what, nn4n_status_name(status), msg);
		std::exit(1);
	}
}

// train teaches a new float32 network the control law and saves it to path.
void train(const std::string& path) {
	uint64_t net = 0, obj = 0, opt = 0;
	check(nn4n_model_create(kIn, kHid, kOut, NN4N_FLOAT32, 7, &net), "model_create");
	check(nn4n_model_set_str(net, "activation", "tanh"), "activation");
	check(nn4n_model_set_f64(net, "alpha", 1.0), "alpha");  // one network step per control tick
	check(nn4n_model_set_f64(net, "training", 0), "training");
	check(nn4n_model_set_f64(net, "train_bias_out", 1), "train_bias_out");
	check(nn4n_objective_create("mse", &obj), "objective_create");
	check(nn4n_optimizer_create("adam", &opt), "optimizer_create");
	check(nn4n_optimizer_set_f64(opt, "lr", 0.01), "lr");
	constexpr int B = 64, T = 4;
	std::vector<double> in(B * T * kIn), tg(B * T * kOut);
	unsigned s = 1;
	auto uniform = [&s]() {
		s = s * 1103515245u + 12345u;
		return ((s >> 8) & 0xffff) / 32768.0 - 1.0;
	};
	double loss = 0;
	for (int epoch = 0; epoch < 600; epoch++) {
		for (int b = 0; b < B; b++) {
			double e = 2 * uniform(), v = 3 * uniform();
			for (int t = 0; t < T; t++) {
				in[(b * T + t) * kIn] = e;
				in[(b * T + t) * kIn + 1] = v;
				tg[b * T + t] = std::tanh(kp * e - kd * v);
			}
		}
		check(nn4n_model_train(net, obj, opt, in.data(), B * T * kIn, tg.data(), B * T * kOut, nullptr, 0, nullptr, 0, B, T, 1,
		                       nullptr),
		      "train");
	}
	check(nn4n_model_term(net, 0, nullptr, 0, &loss), "term");
	check(nn4n_model_save(net, path.c_str()), "save");
	std::printf("trained a controller (mse %.5f), saved %s\n", loss, path.c_str());
	check(nn4n_optimizer_free(opt), "free");
	check(nn4n_objective_free(obj), "free");
	check(nn4n_model_free(net), "free");
}

double now() {
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

void report(const char* what, std::vector<double> us) {
	std::sort(us.begin(), us.end());
	size_t n = us.size();
	std::printf("%-28s p50 %7.2f  p90 %7.2f  p99 %7.2f  p99.9 %8.2f  max %8.1f us\n", what, us[n / 2], us[n * 9 / 10],
	            us[n * 99 / 100], us[n * 999 / 1000], us[n - 1]);
}

}  // namespace

int main(int argc, char** argv) {
	if (argc < 2) {
		std::fprintf(stderr, "usage: %s MODEL.npz [ticks]\n", argv[0]);
		return 1;
	}
	if (nn4n_abi_version() != NN4N_ABI_VERSION) {
		std::fprintf(stderr, "closed_loop: library ABI %d, header ABI %d\n", static_cast<int>(nn4n_abi_version()), NN4N_ABI_VERSION);
		return 1;
	}
	const std::string path = argv[1];
	const long ticks = argc > 2 ? std::max(100L, std::atol(argv[2])) : 2000;
	check(nn4n_set_num_threads(1), "set_num_threads");
#ifdef __linux__
	// Linux delays a normal thread's timer wake-ups by up to 50 us (timer
	// slack) to batch them; a control loop wants its deadline.
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
	if (access(path.c_str(), F_OK) != 0) train(path);

	uint64_t net = 0;
	check(nn4n_model_load(path.c_str(), &net), "load");
	check(nn4n_model_set_f64(net, "training", 0), "training");  // no noise in the loop
	double dims[3];
	check(nn4n_model_get_f64(net, "inputs", &dims[0]), "inputs");
	check(nn4n_model_get_f64(net, "units", &dims[1]), "units");
	check(nn4n_model_get_f64(net, "outputs", &dims[2]), "outputs");
	const int64_t ni = static_cast<int64_t>(dims[0]), nh = static_cast<int64_t>(dims[1]), no = static_cast<int64_t>(dims[2]);
	if (ni != kIn || no != kOut) {
		std::fprintf(stderr, "closed_loop: %s has %lld inputs and %lld outputs, want %d and %d\n", path.c_str(),
		             static_cast<long long>(ni), static_cast<long long>(no), kIn, kOut);
		return 1;
	}
	std::vector<double> x0(nh);
	check(nn4n_model_get_array(net, "x0", x0.data(), nh), "x0");
	std::vector<float> state(x0.begin(), x0.end());
	float u[kIn], force[kOut];
	std::printf("loaded %s: %lld units, float32 step, 1 library thread, %ld ticks at 1 kHz\n", path.c_str(),
	            static_cast<long long>(nh), ticks);

	// The first steps size the library's buffers (no allocation afterwards).
	u[0] = u[1] = 0;
	for (int k = 0; k < 10; k++) {
		std::vector<float> scratch(state);
		check(nn4n_model_step_f32(net, 1, scratch.data(), nh, u, kIn, nullptr, 0, force, kOut), "step");
	}

	const double dt = periodNs * 1e-9, target = 0.8;
	double pos = -0.6, vel = 0.0;
	const double start = std::fabs(target - pos);
	std::vector<double> late(ticks), compute(ticks), latency(ticks);
	long missed = 0;
	timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	for (long k = 0; k < ticks; k++) {
		deadline.tv_nsec += periodNs;
		if (deadline.tv_nsec >= 1000000000L) deadline.tv_nsec -= 1000000000L, deadline.tv_sec++;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr) != 0) {
		}
		const double due = deadline.tv_sec + 1e-9 * deadline.tv_nsec, woke = now();
		u[0] = static_cast<float>(target - pos);  // read the plant
		u[1] = static_cast<float>(vel);
		int32_t st = nn4n_model_step_f32(net, 1, state.data(), nh, u, kIn, nullptr, 0, force, kOut);
		const double done = now();
		check(st, "step");
		vel += dt * (gain * force[0] - friction * vel);  // the plant, in real time
		pos += dt * vel;
		late[k] = (woke - due) * 1e6;
		compute[k] = (done - woke) * 1e6;
		latency[k] = (done - due) * 1e6;
		if (done - due > dt) missed++;
		if (k % 500 == 0) std::printf("t = %5.3f s  position %+.4f  velocity %+.4f  force %+.4f\n", (k + 1) * dt, pos, vel, force[0]);
	}
	report("wake-up lateness", late);
	report("step (nn4n_model_step_f32)", compute);
	report("deadline -> command", latency);
	std::printf("missed deadlines: %ld of %ld ticks\n", missed, ticks);
	const double err = std::fabs(target - pos);
	std::printf("final distance to target %.4f (started at %.4f)\n", err, start);
	check(nn4n_model_free(net), "free");
	return err < 0.1 * start ? 0 : 2;
}
