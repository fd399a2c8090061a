// Q8_K (8-bit activation) products against the float ones, one thread, matrices larger than the
// caches: `q8k_throughput TYPE ROWS COLUMNS [TOKENS [LEVEL]]` (TYPE a ggml id: 12 Q4_K, 14 Q6_K;
// TOKENS 0: the decode matvec, GB/s of weights; TOKENS > 0: the prefill product, GMAC/s).
//   clang -O3 -ISources/CKernels/include -ISources/CKernels Benchmarks/kernels/q8k_throughput.c Sources/CKernels/*.c -o q8k -lm
//   ./q8k 12 65536 2048 0 6; ./q8k 14 128256 2048 0 6; ./q8k 12 2048 2048 128 6
// Random blocks with valid f16 scales; both paths read the same bytes.
#include "CKernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
static uint64_t st=1; static uint32_t rnd(void){st=st*6364136223846793005ULL+1442695040888963407ULL;return st>>33;}
static uint16_t h(float f){_Float16 x=f; uint16_t u; memcpy(&u,&x,2); return u;}
int bytes(int t){return t==10?84:t==11?110:t==12?144:t==13?176:210;}
void fixhalves(int t,uint8_t*b){ uint16_t d=h((rnd()%200+1)/4096.f), m=h((rnd()%200)/512.f);
 int o0=t==10?80:t==11?108:t==14?208:0; memcpy(b+o0,&d,2); if(t==10||t==12||t==13) memcpy(b+o0+2,&m,2);}
static double now(){struct timespec a; clock_gettime(CLOCK_MONOTONIC,&a); return a.tv_sec+a.tv_nsec*1e-9;}
int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: q8k_throughput TYPE ROWS COLUMNS [TOKENS [LEVEL]]\n"); return 2; }
  int type=atoi(argv[1]), R=atoi(argv[2]), C=atoi(argv[3]), T=argc>4?atoi(argv[4]):0, level=argc>5?atoi(argv[5]):6;
  trove_set_kernel_level(level);
  size_t rb=C/256*bytes(type); uint8_t*w=malloc((size_t)R*rb); for(size_t i=0;i<(size_t)R*rb;i++)w[i]=rnd(); for(size_t b=0;b<(size_t)R*C/256;b++) fixhalves(type,w+b*bytes(type));
  if(T==0){ float*x=malloc(4*C),*y=malloc(4*(size_t)R); for(int i=0;i<C;i++)x[i]=(rnd()%100)/50.f-1; uint8_t*xq=malloc(C/256*292); trove_quantize_q8_K(x,xq,C);
    for(int rep=0;rep<2;rep++){ double a=now(); int it=5; for(int i=0;i<it;i++) trove_matvec_q8_K(type,w,rb,C,xq,y,0,R); double s=now()-a;
      printf("matvec q8 type %d %dx%d level %d: %.2f GB/s, %.2f ms\n",type,R,C,level,it*(double)R*rb/s/1e9, s/it*1e3);
      a=now(); for(int i=0;i<it;i++) trove_matvec(type,w,rb,C,x,y,0,R); s=now()-a; printf("matvec float: %.2f GB/s\n",it*(double)R*rb/s/1e9);}
  } else {
    float*x=malloc(4*(size_t)C*T),*out=malloc(4*(size_t)R*T); for(size_t i=0;i<(size_t)C*T;i++)x[i]=(rnd()%100)/50.f-1; size_t qb=C/256*292; uint8_t*xq=malloc(qb*T);
    double a=now(); for(int t=0;t<T;t++) trove_quantize_q8_K(x+(size_t)t*C,xq+t*qb,C); double q=now()-a;
    a=now(); trove_gemm_q8_K(type,w,rb,C,xq,qb,T,out,R,0,R); double s=now()-a;
    printf("gemm q8 type %d %dx%d T=%d level %d: %.1f GMAC/s (quantise %.2f ms, gemm %.1f ms)\n",type,R,C,T,level,(double)R*C*T/s/1e9,q*1e3,s*1e3);
    a=now(); trove_gemm_quantized(type,w,rb,C,x,C,T,out,R,0,R); s=now()-a; printf("gemm float: %.1f GMAC/s\n",(double)R*C*T/s/1e9);
  }
}
