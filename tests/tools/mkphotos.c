/* mkphotos.c — made the photos in tests/bad/photos (kept for the record:
 * cc tests/tools/mkphotos.c -ljpeg -lz && run it inside that folder). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <zlib.h>
static unsigned char *jbuf; static unsigned long jlen;
static void enc(int w,int h,int comps,J_COLOR_SPACE cs,int prog,int arith){
  struct jpeg_compress_struct c; struct jpeg_error_mgr e;
  c.err=jpeg_std_error(&e); jpeg_create_compress(&c);
  jbuf=NULL;jlen=0; jpeg_mem_dest(&c,&jbuf,&jlen);
  c.image_width=w;c.image_height=h;c.input_components=comps;c.in_color_space=cs;
  jpeg_set_defaults(&c); if(cs==JCS_UNKNOWN) jpeg_set_colorspace(&c,JCS_UNKNOWN);
  jpeg_set_quality(&c,80,TRUE); if(prog) jpeg_simple_progression(&c); c.arith_code=arith;
  jpeg_start_compress(&c,TRUE);
  unsigned char *row=malloc(w*comps);
  while(c.next_scanline<c.image_height){int y=c.next_scanline;
    for(int x=0;x<w;x++)for(int k=0;k<comps;k++)row[x*comps+k]=(unsigned char)((x*4+y*2+k*60)&255);
    JSAMPROW r=row; jpeg_write_scanlines(&c,&r,1);}
  jpeg_finish_compress(&c); jpeg_destroy_compress(&c); free(row);
}
static void put(const char*n,const void*p,size_t l){FILE*f=fopen(n,"wb");fwrite(p,1,l,f);fclose(f);}
static void be32(unsigned char*p,unsigned v){p[0]=v>>24;p[1]=v>>16;p[2]=v>>8;p[3]=v;}
static unsigned char png[1<<20]; static size_t pl;
static void chunk(const char*t,const unsigned char*d,unsigned n){be32(png+pl,n);memcpy(png+pl+4,t,4);if(n)memcpy(png+pl+8,d,n);
  unsigned c=crc32(0,png+pl+4,n+4);be32(png+pl+8+n,c);pl+=12+n;}
static void mkpng(unsigned w,unsigned h,int ctype,int interlace,int fullidat){
  pl=0;memcpy(png,"\x89PNG\r\n\x1a\n",8);pl=8;unsigned char ih[13];be32(ih,w);be32(ih+4,h);ih[8]=8;ih[9]=ctype;ih[10]=0;ih[11]=0;ih[12]=interlace;
  chunk("IHDR",ih,13);
  if(fullidat){int ch=ctype==6?4:ctype==2?3:ctype==4?2:1;
    /* raw size for interlaced: generous upper bound; build by passes */
    size_t cap=(size_t)(w*ch+1)*h*2+1024;unsigned char*raw=calloc(cap,1);size_t rl=0;
    if(!interlace){for(unsigned y=0;y<h;y++){raw[rl++]=0;for(unsigned x=0;x<w*ch;x++)raw[rl++]=(unsigned char)(x+y*3);}}
    else{int xs[7]={0,4,0,2,0,1,0},ys[7]={0,0,4,0,2,0,1},dx[7]={8,8,4,4,2,2,1},dy[7]={8,8,8,4,4,2,2};
      for(int p=0;p<7;p++){unsigned pw=(w-xs[p]+dx[p]-1)/dx[p],ph=(h-ys[p]+dy[p]-1)/dy[p];if(xs[p]>=(int)w)pw=0;if(ys[p]>=(int)h)ph=0;if(!pw||!ph)continue;
        for(unsigned y=0;y<ph;y++){raw[rl++]=0;for(unsigned x=0;x<pw*ch;x++)raw[rl++]=(unsigned char)(x*7+y+p*30);}}}
    uLongf zl=compressBound(rl);unsigned char*z=malloc(zl);compress2(z,&zl,raw,rl,9);chunk("IDAT",z,zl);free(z);free(raw);}
  chunk("IEND",NULL,0);
}
int main(void){
  enc(96,64,3,JCS_RGB,0,0); put("good-baseline.jpg",jbuf,jlen);
  /* EXIF APP1 of length 0 and 1 right after SOI */
  for(int L=0;L<2;L++){unsigned char*o=malloc(jlen+4);o[0]=0xFF;o[1]=0xD8;o[2]=0xFF;o[3]=0xE1;memcpy(o+4,"\0",1);o[4]=0;o[5]=L;
    memcpy(o+6,jbuf+2,jlen-2);put(L?"exif-length-1.jpg":"exif-length-0.jpg",o,jlen+4);free(o);}
  /* truncated */
  put("jpeg-truncated.jpg",jbuf,jlen*6/10);
  put("jpeg-soi-only.jpg","\xFF\xD8",2);
  /* lossless / 12-bit / zero dims: patch SOF0 */
  unsigned char*c=malloc(jlen);
  for(int k=0;k<3;k++){memcpy(c,jbuf,jlen);for(unsigned long i=2;i+9<jlen;i++)if(c[i]==0xFF&&c[i+1]==0xC0){
      if(k==0)c[i+1]=0xC3; if(k==1)c[i+4]=12; if(k==2){c[i+5]=0;c[i+6]=0;} break;}
    put(k==0?"jpeg-lossless.jpg":k==1?"jpeg-12bit.jpg":"jpeg-zero-size.jpg",c,jlen);}
  /* no SOF: drop the SOF0 segment */
  {memcpy(c,jbuf,jlen);for(unsigned long i=2;i+9<jlen;i++)if(c[i]==0xFF&&c[i+1]==0xC0){unsigned L=c[i+2]<<8|c[i+3];memmove(c+i,c+i+2+L,jlen-i-2-L);put("jpeg-no-frame.jpg",c,jlen-2-L);break;}}
  free(jbuf);
  enc(80,60,3,JCS_RGB,1,0); put("good-progressive.jpg",jbuf,jlen); free(jbuf);
  enc(80,60,1,JCS_GRAYSCALE,0,0); put("good-gray.jpg",jbuf,jlen); free(jbuf);
  enc(80,60,4,JCS_CMYK,0,0); put("good-cmyk.jpg",jbuf,jlen); free(jbuf);
  enc(80,60,3,JCS_RGB,0,1); put("convert-arithmetic.jpg",jbuf,jlen); free(jbuf);
  enc(80,60,2,JCS_UNKNOWN,0,0); put("convert-two-channels.jpg",jbuf,jlen); free(jbuf);
  mkpng(70,50,2,1,1); put("good-interlaced.png",png,pl);
  mkpng(70,50,6,0,1); put("good-rgba.png",png,pl);
  mkpng(70,50,4,1,1); put("good-gray-alpha-interlaced.png",png,pl);
  mkpng(70,50,2,0,1); size_t good=pl; put("png-truncated.png",png,good*6/10);
  /* damaged CRC of the IDAT */
  for(size_t i=8;i<good;){unsigned n=png[i]<<24|png[i+1]<<16|png[i+2]<<8|png[i+3];if(!memcmp(png+i+4,"IDAT",4)){png[i+8+n]^=0x55;break;}i+=12+n;}
  put("png-bad-crc.png",png,good);
  mkpng(70,50,2,0,0); put("png-no-idat.png",png,pl);
  /* 30000 x 30000 claimed, with a little data */
  mkpng(30000,30000,2,0,0); put("png-huge.png",png,pl);
  return 0;
}
